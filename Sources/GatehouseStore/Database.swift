import GatehouseCore
import Logging

/// An open database: its ``Store``, migrated to the newest schema.
public struct Database: Sendable {
    public let store: SQLStore
    private let executor: any SQLExecutor

    /// Opens `url` and applies pending migrations. Failures carry a one-line reason.
    public static func open(_ url: DatabaseURL, logger serverLogger: Logger) async throws -> Database {
        let logger = driverLogger(serverLogger)
        let executor: any SQLExecutor
        do {
            switch url {
            case .sqlite(let path):
                executor = try await SQLiteExecutor.open(path: path, logger: logger)
            case .postgres(let host, let port, let username, let password, let database):
                executor = try await PostgresExecutor.open(
                    host: host, port: port, username: username, password: password, database: database, logger: logger
                )
            }
        } catch {
            throw DatabaseUnavailable(url: url, reason: PostgresExecutor.reason(error))
        }
        let database = Database(store: SQLStore(executor: DeadlineExecutor(base: executor)), executor: executor)
        do {
            try await Migrator(executor: executor, migrations: Migrations.all).migrate()
        } catch {
            try? await executor.close()
            throw DatabaseUnavailable(url: url, reason: "migration failed: \(PostgresExecutor.reason(error))")
        }
        return database
    }

    private init(store: SQLStore, executor: any SQLExecutor) {
        self.store = store
        self.executor = executor
    }

    public func close() async throws {
        try await executor.close()
    }
}

/// The database could not be opened or migrated.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let url: DatabaseURL
    public let reason: String

    public var description: String { "cannot open database \(url): \(reason)" }
}

extension Database {
    /// The logger handed to the database drivers: never below `info`. At `debug` SQLKit logs
    /// every statement with its bound values, and at `trace` PostgresNIO logs the bytes on the
    /// wire; both would write the pepper, signing keys and password hashes to the log (SPEC §7:
    /// secrets never appear in logs). The drivers' warnings and errors still come through.
    static func driverLogger(_ logger: Logger) -> Logger {
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .info)
        return driverLogger
    }
}
