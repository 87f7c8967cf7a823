import Foundation
import GatehouseCore
import GatehouseStore
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

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
    try configuration.refusePlaintextSecretsOnSharedDatabase()
    let database = try await Database.open(configuration.database, logger: logger)
    do {
        let server = try await buildServer(configuration, store: database.store, logger: logger)
        var services = server.services
        if let metricsPort = configuration.metrics.port {
            // Only /metrics, e.g. for the internal network: the main port no longer serves it.
            let metricsRouter = Router(context: GatehouseRequestContext.self)
            MetricsController(registry: server.registry, token: configuration.metrics.token).addRoutes(to: metricsRouter)
            metricsRouter.answerUndeclaredMethods()
            services.append(Application(
                router: metricsRouter,
                server: .gatehouseHTTP1(idleTimeoutSeconds: configuration.idleTimeoutSeconds),
                configuration: .init(address: .hostname(configuration.host, port: metricsPort), serverName: "gatehouse-metrics"),
                logger: logger
            ))
        }
        if let gateway = configuration.gateway {
            let proxy = UpstreamProxy(upstream: gateway.upstream, timeout: .seconds(gateway.timeoutSeconds))
            services.append(UpstreamProxyService(proxy: proxy))
            services.append(Application(
                responder: GatewayResponder(enforcer: server.enforcer, proxy: proxy),
                server: .gatehouseHTTP1(idleTimeoutSeconds: configuration.idleTimeoutSeconds),
                configuration: .init(address: .hostname(configuration.host, port: gateway.port), serverName: "gatehouse-gateway"),
                logger: logger
            ))
        }
        return Application(
            router: server.router,
            server: .gatehouseHTTP1(idleTimeoutSeconds: configuration.idleTimeoutSeconds),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gatehouse"),
            services: services + [DatabaseService(database: database)],
            logger: logger
        )
    } catch {
        try? await database.close()
        throw error
    }
}

/// The routes and the background services of a server over an open store.
struct Server {
    var router: Router<GatehouseRequestContext>
    var services: [any Service]
    /// Shared by `/v1/check` and the gateway listener: one decision for both.
    var enforcer: Enforcer
    /// What `/metrics` shows, wherever it is served.
    var registry: PrometheusCollectorRegistry
}

/// The router over an open store, after the first-start bootstrap.
func buildRouter(_ configuration: ServerConfiguration, store: any Store, logger: Logger) async throws -> Router<GatehouseRequestContext> {
    try await buildServer(configuration, store: store, logger: logger).router
}

/// Bootstraps an open store (pepper, `default` organisation, admin key, signing keys) and wires
/// every route and background service.
func buildServer(_ configuration: ServerConfiguration, store database: any Store, logger: Logger) async throws -> Server {
    // The hot paths' reads (applications, users, revocations) come from memory once warm.
    let store = CachedStore(database)
    if configuration.masterKey == nil {
        logger.warning("GATEHOUSE_MASTER_KEY is not set: server secrets are stored unencrypted")
    }
    let hasher = try await ServerSecrets.hasher(store: store, masterKey: configuration.masterKey)
    let organisations = OrganisationManager(store: store)
    try await organisations.ensureDefault(now: Date())
    // Admin keys are read from the database on every admin request (a revocation is in force at
    // once on every instance); their last use is written in batches by "adminkey-usage".
    let adminKeyUsage = APIKeyUsage()
    let adminKeys = AdminKeyManager(store: store, hasher: hasher, usage: adminKeyUsage)
    let passwords = PasswordHasher(rounds: configuration.passwordRounds)
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

    let keys = try await SigningKeyRing(store: store, masterKey: configuration.masterKey, algorithm: configuration.signingAlgorithm, now: Date())
    // API keys (SPEC §1) are verified through a bounded cache in front of the store; the check
    // endpoint (SPEC §5) calls `apiKeys.authenticate`/`verify`, introspection `apiKeys.inspect`.
    // Every change through the managers below drops cache entries at once; last-use dates are
    // written in batches by the "apikey-usage" service.
    let apiKeys = APIKeyVerifier(store: store, hasher: hasher)
    let oauth = OAuthComponents(configuration: configuration, store: store, hasher: hasher, passwords: passwords, keys: keys, apiKeys: apiKeys)

    // SPEC §7: repeated failed authentication is slowed, then refused for a while, on every
    // endpoint. A lock is announced to the other instances on the database (SPEC §2), in the
    // background: the failed answer does not wait for it.
    let throttle = FailedAuthenticationThrottle(policy: configuration.throttle) { lock in
        Task { try? await store.announce(lock.payload) }
    }
    let authenticationGuard = AuthenticationGuard(throttle: throttle, clientIPs: ClientIPResolver(trustedProxies: configuration.trustedProxies))

    // Failed admin authentications are audited, at most one row per address per minute (issue 14 point 10).
    let adminAuthFailures = AdminAuthFailureLog()

    let registry = PrometheusCollectorRegistry()
    let router = Router(context: GatehouseRequestContext.self)
    router.add(middleware: RequestObservationMiddleware(registry: registry))
    // `/v1/check` and every route without an error format of its own answer 503 in the check's.
    router.add(middleware: StoreUnavailableMiddleware())
    HealthController(store: store).addRoutes(to: router)
    if configuration.metrics.onMainPort {
        MetricsController(registry: registry, token: configuration.metrics.token).addRoutes(to: router)
    }
    OpenAPIController().addRoutes(to: router)

    let admin = router.group("admin/v1")
        .add(middleware: ErrorMiddleware<AdminErrorFormat>())
        .add(middleware: AdminAuthenticator(adminKeys: adminKeys, authenticationGuard: authenticationGuard, failures: adminAuthFailures, store: store))
    OrganisationsController(organisations: organisations).addRoutes(to: admin.group("orgs"))
    var applications = ApplicationManager(store: store, hasher: hasher)
    applications.onChange = { apiKeys.invalidateAll() }
    ApplicationsController(applications: applications).addRoutes(to: admin.group("apps"))
    var users = UserManager(store: store, passwords: passwords)
    users.onChange = { apiKeys.invalidateAll() }
    UsersController(users: users).addRoutes(to: admin.group("users"))
    APIKeysController(apiKeys: APIKeyManager(store: store, hasher: hasher, verifier: apiKeys)).addRoutes(to: admin.group("apikeys"))
    ConsumerCredentialsController(credentials: ConsumerCredentialManager(store: store, hasher: hasher, passwords: passwords))
        .addRoutes(to: admin.group("consumer-credentials"))
    AdminKeysController(adminKeys: adminKeys).addRoutes(to: admin.group("admin-keys"))
    AuditController(store: store).addRoutes(to: admin.group("audit"))
    SigningKeysController(keys: keys, store: store, algorithm: configuration.signingAlgorithm).addRoutes(to: admin.group("keys"))

    DiscoveryController(issuer: configuration.issuer, grantTypes: oauth.grants.supported, keys: keys).addRoutes(to: router)
    let oauthGroup = router.group("oauth").add(middleware: ErrorMiddleware<OAuthErrorFormat>())
    TokenController(authenticator: oauth.authenticator, grants: oauth.grants, authenticationGuard: authenticationGuard).addRoutes(to: oauthGroup)
    IntrospectionController(
        authenticator: oauth.authenticator, adminKeys: adminKeys, introspection: oauth.introspection, revocation: oauth.revocation,
        authenticationGuard: authenticationGuard
    ).addRoutes(to: oauthGroup)
    // SPEC §4: the consumer application key flow and customer sessions.
    ConsumerComponents(
        configuration: configuration, store: store, hasher: hasher, passwords: passwords, keys: keys,
        introspection: oauth.introspection, apiKeys: apiKeys
    ).addRoutes(to: router, authenticationGuard: authenticationGuard)

    // SPEC §5: forward auth.
    let enforcer = Enforcer(
        credentials: CredentialResolver(apiKeys: apiKeys, introspection: oauth.introspection, store: store, hasher: hasher),
        authenticationGuard: authenticationGuard
    )
    CheckController(enforcer: enforcer).addRoutes(to: router)
    // Last: a known path with another method answers 405 with `Allow` (RFC 9110 §15.5.6).
    router.answerUndeclaredMethods()

    let services: [any Service] = [
        // Another instance may rotate keys: reload them every second (one small indexed read).
        PeriodicService(name: "signing-key-reload", interval: .seconds(1), logger: logger) { try await keys.reload() },
        // Expired refresh tokens, revocation entries and keys leave without a job for the operator.
        PeriodicService(name: "prune", interval: .seconds(60), logger: logger) { try await store.prune(now: Date()) },
        // Changes committed by any instance (PostgreSQL NOTIFY) drop this instance's API-key cache;
        // a throttle lock announced by any instance locks the key here too.
        ChangeListenerService(store: store, logger: logger) { payload in
            if let lock = ThrottleLock(payload: payload) { throttle.apply(lock, now: Date()) } else { apiKeys.invalidateAll() }
        },
        // Clients that stopped failing authentication are forgotten (SPEC §7).
        PeriodicService(name: "throttle-forget", interval: .seconds(60), logger: logger) { throttle.forgetIdle(now: Date()) },
        // API keys' last use: one batched write every 5 s, never one per request.
        PeriodicService(name: "apikey-usage", interval: .seconds(5), logger: logger) { try await apiKeys.usage.flush(to: store) },
        PeriodicService(name: "adminkey-failure-audit", interval: .seconds(10), logger: logger) {
            try await store.insertAuditEvents(adminAuthFailures.sweep(now: Date()))
        },
        PeriodicService(name: "adminkey-usage", interval: .seconds(5), logger: logger) {
            try await adminKeyUsage.flush { try await store.recordAdminKeyUse($0) }
        },
    ]
    return Server(router: router, services: services, enforcer: enforcer, registry: registry)
}
