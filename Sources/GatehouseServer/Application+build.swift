import Foundation
import GatehouseCore
import GatehouseStore
import Hummingbird
import Logging
import Prometheus

/// Builds the whole server: opens and migrates the database, makes sure the `default`
/// organisation and an admin key exist (SPEC §2), and wires the routes. `gatehouse serve` and the
/// tests both start here.
public func buildApplication(
    _ configuration: ServerConfiguration, logger: Logger? = nil
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "gatehouse")
    logger.logLevel = configuration.logLevel
    if let key = configuration.bootstrapAdminKey, !SecretFormat.isWellFormed(key, as: .adminKey) {
        // Refuse before creating or touching any database.
        throw ValidationError(field: "GATEHOUSE_BOOTSTRAP_ADMIN_KEY", message: "is not an admin key (generate one with `gatehouse admin generate-key`)")
    }
    let database = try await Database.open(configuration.database, logger: logger)
    do {
        let router = try await buildRouter(configuration, store: database.store, logger: logger)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gatehouse"),
            services: [DatabaseService(database: database)],
            logger: logger
        )
    } catch {
        try? await database.close()
        throw error
    }
}

/// The router over an open store, after the first-start bootstrap.
func buildRouter(_ configuration: ServerConfiguration, store: any Store, logger: Logger) async throws -> Router<GatehouseRequestContext> {
    if configuration.masterKey == nil {
        logger.warning("GATEHOUSE_MASTER_KEY is not set: server secrets are stored unencrypted")
    }
    let hasher = try await ServerSecrets.hasher(store: store, masterKey: configuration.masterKey)
    let organisations = OrganisationManager(store: store)
    try await organisations.ensureDefault(now: Date())
    let adminKeys = AdminKeyManager(store: store, hasher: hasher)
    switch try await adminKeys.bootstrap(configuredKey: configuration.bootstrapAdminKey, now: Date()) {
    case .generated(let key):
        // Shown once, on standard output only; never logged.
        FileHandle.standardOutput.write(Data("""
            ┌ Gatehouse created an admin key. It is shown only this once; store it now:
            │   \(key)
            └ Use it as: Authorization: Bearer <key>

            """.utf8))
    case .addedConfigured:
        logger.info("added the admin key from GATEHOUSE_BOOTSTRAP_ADMIN_KEY")
    case .unchanged:
        break
    }

    let registry = PrometheusCollectorRegistry()
    let router = Router(context: GatehouseRequestContext.self)
    router.add(middleware: RequestObservationMiddleware(registry: registry))
    HealthController(store: store, registry: registry).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)

    let admin = router.group("admin/v1")
        .add(middleware: AdminErrorMiddleware())
        .add(middleware: AdminAuthenticator(adminKeys: adminKeys))
    OrganisationsController(organisations: organisations).addRoutes(to: admin.group("orgs"))
    ApplicationsController(applications: ApplicationManager(store: store, hasher: hasher)).addRoutes(to: admin.group("apps"))
    AuditController(store: store).addRoutes(to: admin.group("audit"))
    return router
}
