import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseStore
import Logging

/// `--database` (or `GATEHOUSE_DATABASE_URL`), shared by every command that works on the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite:///path or postgres://user:pass@host:port/db (env GATEHOUSE_DATABASE_URL; default sqlite://./gatehouse.sqlite)")
    var database: String?

    func url() throws -> DatabaseURL {
        try Setting.resolve(database, env: "GATEHOUSE_DATABASE_URL").map(DatabaseURL.init) ?? .defaultSQLite
    }

    /// Opens and migrates the database, prepares the managers, runs `body`, and closes it again.
    func withManagement(_ body: (Management) async throws -> Void) async throws {
        var logger = Logger(label: "gatehouse")
        logger.logLevel = .error
        let database = try await Database.open(try url(), logger: logger)
        do {
            let masterKey = try Setting.resolve(nil, env: "GATEHOUSE_MASTER_KEY").map(MasterKey.init(base64:))
            let hasher = try await ServerSecrets.hasher(store: database.store, masterKey: masterKey)
            let management = Management(store: database.store, hasher: hasher, masterKey: masterKey)
            try await management.organisations.ensureDefault(now: Date())
            try await body(management)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }
}

/// The domain's managers over one open store.
struct Management {
    let store: any Store
    let hasher: SecretHasher
    let masterKey: MasterKey?

    var organisations: OrganisationManager { OrganisationManager(store: store) }
    var applications: ApplicationManager { ApplicationManager(store: store, hasher: hasher) }
    /// A fresh hasher per command; one command hashes at most one password.
    var users: UserManager { UserManager(store: store, passwords: PasswordHasher()) }
    var adminKeys: AdminKeyManager { AdminKeyManager(store: store, hasher: hasher) }
    var consumerCredentials: ConsumerCredentialManager {
        ConsumerCredentialManager(store: store, hasher: hasher, passwords: PasswordHasher())
    }
    var apiKeys: APIKeyManager { APIKeyManager(store: store, hasher: hasher) }
}
