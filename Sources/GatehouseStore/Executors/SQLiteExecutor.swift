import GatehouseCore
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded default: SQLite in WAL mode with a busy timeout, on one writer connection, a few
/// reader connections, and one more that checkpoints the WAL (``SQLiteCheckpointer``). Each
/// connection has a thread of its own (``SerialSQLiteConnection``), which runs its statements one
/// at a time in the order they came.
///
/// Single statements on the writer (``withDatabase(_:)``) need no lock: each commits on its own,
/// and the next queues behind it on the writer's thread, not behind the round trip that answers
/// the last one. A ``transaction(_:)`` holds the writer alone, so no other statement joins it;
/// SQLite has one writer at a time anyway. Reads go to the readers, which WAL lets run beside the
/// writer: a long write (a batch of API-key last-use dates, a refresh-token rotation) never makes
/// a cache miss on the check path wait. A reader sees every transaction committed before its
/// statement began.
final class SQLiteExecutor: SQLExecutor {
    let dialect = SQLDialectKind.sqlite
    private let writer: SerialSQLiteConnection
    /// Shared by single statements, taken alone by transactions and by `close()`.
    private let writerLock = SharedExclusiveLock()
    private let readers: [SerialSQLiteConnection]
    private let checkpointer: SQLiteCheckpointer
    private let nextReader = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    static let readerCount = 2

    /// How long a statement waits for a lock another process holds (the CLI's write, a backup):
    /// under ``DatabaseDeadline``'s 4 s, so a request answers 503 in time rather than waiting on.
    static let busyTimeoutMilliseconds = 3000

    /// WAL pages at which the writer checkpoints itself: the backstop behind ``SQLiteCheckpointer``
    /// (about 32 MB of WAL).
    static let autocheckpointBackstop = 8_000

    private init(writer: SerialSQLiteConnection, readers: [SerialSQLiteConnection], checkpointer: SQLiteCheckpointer) {
        self.writer = writer
        self.readers = readers
        self.checkpointer = checkpointer
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteExecutor {
        SQLiteFilePermissions.prepare(path: path, logger: logger)
        let writer = try await SerialSQLiteConnection.open(path: path, logger: logger, pragmas: [
            "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
            "PRAGMA wal_autocheckpoint = \(autocheckpointBackstop)",
        ])
        var others: [SerialSQLiteConnection] = []
        do {
            for _ in 0..<readerCount {
                others.append(try await .open(path: path, logger: logger, pragmas: ["PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", "PRAGMA query_only = ON"]))
            }
            others.append(try await .open(path: path, logger: logger, pragmas: ["PRAGMA busy_timeout = \(busyTimeoutMilliseconds)"]))
        } catch {
            for other in others { try? await other.close() }
            try? await writer.close()
            throw error
        }
        let checkpointer = SQLiteCheckpointer(connection: others.removeLast(), logger: logger)
        return SQLiteExecutor(writer: writer, readers: others, checkpointer: checkpointer)
    }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = writer.sql()
        defer { checkpointer.noteWrite() }
        return try await writerLock.withShared {
            try self.checkOpen()
            return try await body(database)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let reader = readers[nextReader.add(1, ordering: .relaxed).oldValue % readers.count]
        try checkOpen()
        return try await body(reader.sql())
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = writer.sql()
        defer { checkpointer.noteWrite() }
        return try await writerLock.withExclusive {
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

    /// SQLite's primary result codes that mean the file cannot be worked on now, whatever the
    /// statement: `SQLITE_BUSY`/`LOCKED` (a lock held past the busy timeout), `READONLY`, `IOERR`,
    /// `FULL`, `CANTOPEN`, `PERM`, `NOMEM`; each with its extended codes. A closed executor too.
    func isUnavailable(_ error: any Error) -> Bool {
        if error is SQLiteExecutorClosed { return true }
        guard let error = error as? SQLiteError else { return false }
        let name = String(describing: error.reason)
        return ["busy", "locked", "readOnly", "readonly", "ioError", "full", "cantOpen", "permission", "noMemory"]
            .contains { name.hasPrefix($0) }
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

    /// Closes every connection once the statements queued on it have run. Work that starts later
    /// fails with ``SQLiteExecutorClosed``; a statement of work already under way that is queued
    /// after the close (a read's second statement, say) fails with SQLite's misuse error. Neither
    /// touches a closed handle (a background reload or poll racing a server's shutdown).
    func close() async throws {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        for reader in readers { try? await reader.close() }
        await checkpointer.close()
        try await writerLock.withExclusive { try await self.writer.close() }
    }

    private func checkOpen() throws {
        if closed.load(ordering: .acquiring) { throw SQLiteExecutorClosed() }
    }

    /// A server that fails to start (say, its port is taken) drops the executor unclosed; close
    /// the connections then too, as SQLiteNIO requires.
    deinit {
        if !closed.load(ordering: .acquiring) {
            for reader in readers { reader.closeWithoutWaiting() }
            writer.closeWithoutWaiting()
        }
    }
}

/// Work that reached a connection after the executor was closed.
struct SQLiteExecutorClosed: Error, CustomStringConvertible {
    var description: String { "the SQLite database is closed" }
}

