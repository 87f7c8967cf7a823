import GatehouseStore
import ServiceLifecycle

/// Keeps the database open for the server's lifetime and closes it on graceful shutdown.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        try await database.close()
    }
}
