import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// An SQLite connection with a thread of its own.
///
/// SQLiteNIO runs each statement whole (prepare, every step, finalize) as one job on the
/// connection's thread pool. A pool of one thread runs those jobs one at a time, in the order they
/// came: statements from any number of tasks may be in flight at once without a lock, and none
/// starts while another is unfinished. That matters beyond tidiness. SQLite ends an autocommit
/// transaction only when no statement on the connection is still running, so on a shared pool two
/// statements stepping at once on one connection would commit late, together.
///
/// A thread per connection also keeps the writer's statements from waiting for a pool thread
/// behind the readers' statements.
struct SerialSQLiteConnection: Sendable {
    let connection: SQLiteConnection
    private let thread: NIOThreadPool

    static func open(path: String, logger: Logger, pragmas: [String]) async throws -> SerialSQLiteConnection {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
        let opened = SerialSQLiteConnection(connection: connection, thread: thread)
        do {
            for pragma in pragmas { try await connection.sql().raw(SQLQueryString(pragma)).run() }
        } catch {
            try? await opened.close()
            throw error
        }
        return opened
    }

    func sql() -> any SQLDatabase { connection.sql() }

    /// Closes the connection after the statements already queued, then ends its thread. The
    /// future-based close runs even when the calling task is cancelled (a server that failed to
    /// bind cancels its services); the async variant would skip it.
    func close() async throws {
        defer { thread.shutdownGracefully { _ in } }
        try await connection.close().get()
    }

    /// For a `deinit`, which cannot wait: the close and the thread's end are queued.
    func closeWithoutWaiting() {
        _ = connection.close().always { _ in thread.shutdownGracefully { _ in } }
    }
}
