import Logging
import SQLKit
import Synchronization

/// Copies the write-ahead log back into the database file beside the writer, not inside it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past
/// `wal_autocheckpoint` pages: on the writer connection, under the writer lock, with two fsyncs.
/// Every write queued behind that commit waits for the disk. Here the writer only counts its
/// writes, and every ``writesPerCheckpoint`` of them a PASSIVE checkpoint runs on this connection
/// of its own. "Checkpointing does require sync operations in order to avoid the possibility of
/// database corruption following a power loss or hard reboot. … The checkpointer runs
/// concurrently with readers and writers" (https://sqlite.org/wal.html, §"Checkpointing" and
/// §"Performance Considerations").
///
/// The writer keeps SQLite's own checkpoint at ``SQLiteExecutor/autocheckpointBackstop`` pages:
/// a WAL restarts from its beginning only once all of it is copied back, which steady writes
/// may never give a concurrent checkpointer time to do.
final class SQLiteCheckpointer: Sendable {
    /// Writes between two checkpoints: a refresh-token rotation writes about seven pages, so this
    /// keeps the WAL near 7 MB under load and checkpoints a few times a second at most.
    static let writesPerCheckpoint = 256

    private let connection: SerialSQLiteConnection
    private let logger: Logger
    private let writesSinceCheckpoint = Atomic<Int>(0)
    private let checkpointing = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    init(connection: SerialSQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Counts a write on the writer connection; starts a checkpoint when enough have gathered and
    /// none is under way. Never waits.
    func noteWrite() {
        guard writesSinceCheckpoint.add(1, ordering: .relaxed).newValue >= Self.writesPerCheckpoint,
              checkpointing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return }
        writesSinceCheckpoint.store(0, ordering: .relaxed)
        Task {
            await self.checkpoint()
            self.checkpointing.store(false, ordering: .releasing)
        }
    }

    /// One PASSIVE checkpoint: it copies what it can without waiting for readers or the writer.
    /// A failure (the file busy, say) is left to the next round or the writer's backstop.
    func checkpoint() async {
        guard !closed.load(ordering: .acquiring) else { return }
        do {
            try await connection.sql().raw("PRAGMA wal_checkpoint(PASSIVE)").run()
        } catch {
            logger.debug("WAL checkpoint skipped", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }

    /// Closes the connection once a checkpoint under way has finished; later ones do nothing.
    func close() async {
        closed.store(true, ordering: .releasing)
        try? await connection.close()
    }

    deinit {
        if !closed.load(ordering: .acquiring) { connection.closeWithoutWaiting() }
    }
}
