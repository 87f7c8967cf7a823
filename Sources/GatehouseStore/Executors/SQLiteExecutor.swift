import Logging
import NIOConcurrencyHelpers
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded default: one SQLite connection in WAL mode with a busy timeout.
///
/// All work on the connection is serialised by a lock, so a transaction never interleaves with
/// another task's statements on the same connection. SQLite has one writer at a time anyway.
final class SQLiteExecutor: SQLExecutor {
    let dialect = SQLDialectKind.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    private let closed = NIOLockedValueBox(false)

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteExecutor {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let database = connection.sql()
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL"] {
            try await database.raw(SQLQueryString(pragma)).run()
        }
        return SQLiteExecutor(connection: connection)
    }

    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = connection.sql()
        return try await lock.withLock { try await body(database) }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = connection.sql()
        return try await lock.withLock {
            try await database.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
    }

    /// One process owns an embedded database: its own managers invalidate its caches directly.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
    }

    func close() async throws {
        guard closed.withLockedValue({ wasClosed in defer { wasClosed = true }; return !wasClosed }) else { return }
        // The future-based close runs even when the calling task is cancelled (a server that
        // failed to bind cancels its services); the async variant would skip it.
        try await connection.close().get()
    }

    /// A server that fails to start (say, its port is taken) drops the executor unclosed; close
    /// the connection then too, as SQLiteNIO requires.
    deinit {
        if !closed.withLockedValue({ $0 }) {
            _ = connection.close()
        }
    }
}
