import GatehouseCore
import Logging
import NIOConcurrencyHelpers
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded default: SQLite in WAL mode with a busy timeout, on one writer connection and a
/// few reader connections.
///
/// All work on the writer is serialised by a lock, so a transaction never interleaves with
/// another task's statements on it; SQLite has one writer at a time anyway. Reads go to the
/// readers, which WAL lets run beside the writer: a long write (a batch of API-key last-use
/// dates, a refresh-token rotation) never makes a cache miss on the check path wait. A reader
/// sees every transaction committed before its statement began.
final class SQLiteExecutor: SQLExecutor {
    let dialect = SQLDialectKind.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    private let readers: [Reader]
    private let nextReader = Atomic<Int>(0)
    private let closed = NIOLockedValueBox(false)

    private struct Reader: Sendable {
        let connection: SQLiteConnection
        let lock = AsyncLock()
    }

    static let readerCount = 2

    private init(connection: SQLiteConnection, readers: [SQLiteConnection]) {
        self.connection = connection
        self.readers = readers.map { Reader(connection: $0) }
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteExecutor {
        let connection = try await open(path: path, logger: logger, pragmas: [
            "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
        ])
        var readers: [SQLiteConnection] = []
        do {
            for _ in 0..<readerCount {
                readers.append(try await open(path: path, logger: logger, pragmas: ["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"]))
            }
        } catch {
            for reader in readers { try? await reader.close().get() }
            try? await connection.close().get()
            throw error
        }
        return SQLiteExecutor(connection: connection, readers: readers)
    }

    private static func open(path: String, logger: Logger, pragmas: [String]) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            for pragma in pragmas { try await connection.sql().raw(SQLQueryString(pragma)).run() }
        } catch {
            try? await connection.close().get()
            throw error
        }
        return connection
    }

    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = connection.sql()
        return try await lock.withLock {
            try self.checkOpen()
            return try await body(database)
        }
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let reader = readers[nextReader.add(1, ordering: .relaxed).oldValue % readers.count]
        let database = reader.connection.sql()
        return try await reader.lock.withLock {
            try self.checkOpen()
            return try await body(database)
        }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = connection.sql()
        return try await lock.withLock {
            try self.checkOpen()
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
        var lastVersion = try? await dataVersion()
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            // A failed poll (a locked or busy file, say) is retried a second later; when polling
            // resumes, `nil` differs from any version, so "*" drops whatever may have been missed.
            let version = try? await dataVersion()
            if let version, version != lastVersion { handler("*") }
            lastVersion = version
        }
    }

    private func dataVersion() async throws -> Int {
        try await withDatabase { database in
            try await database.raw("PRAGMA data_version").first()?.decode(column: "data_version", as: Int.self) ?? 0
        }
    }

    /// Closes every connection once the statement under way on it (if any) has finished; work
    /// still queued then fails with ``SQLiteExecutorClosed`` instead of touching a closed handle
    /// (a background reload or poll racing a server's shutdown).
    func close() async throws {
        guard closed.withLockedValue({ wasClosed in defer { wasClosed = true }; return !wasClosed }) else { return }
        // The future-based close runs even when the calling task is cancelled (a server that
        // failed to bind cancels its services); the async variant would skip it.
        for reader in readers {
            try? await reader.lock.withLock { try await reader.connection.close().get() }
        }
        try await lock.withLock { try await self.connection.close().get() }
    }

    private func checkOpen() throws {
        if closed.withLockedValue({ $0 }) { throw SQLiteExecutorClosed() }
    }

    /// A server that fails to start (say, its port is taken) drops the executor unclosed; close
    /// the connection then too, as SQLiteNIO requires.
    deinit {
        if !closed.withLockedValue({ $0 }) {
            for reader in readers { _ = reader.connection.close() }
            _ = connection.close()
        }
    }
}

/// Work that reached a connection after the executor was closed.
struct SQLiteExecutorClosed: Error, CustomStringConvertible {
    var description: String { "the SQLite database is closed" }
}

