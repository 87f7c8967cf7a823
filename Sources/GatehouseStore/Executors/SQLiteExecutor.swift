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

    /// Another process (the `gatehouse` CLI, say) may write to the same file: SQLite's
    /// `data_version` moves when any other connection commits, so poll it every second and
    /// announce `"*"` ("anything may have changed") when it moved. This process's own changes do
    /// not move it; its managers and ``CachedStore`` drop their caches directly.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        var lastVersion = try await dataVersion()
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            let version = try await dataVersion()
            if version != lastVersion { handler("*") }
            lastVersion = version
        }
    }

    private func dataVersion() async throws -> Int {
        try await withDatabase { database in
            try await database.raw("PRAGMA data_version").first()?.decode(column: "data_version", as: Int.self) ?? 0
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
