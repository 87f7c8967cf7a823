import GatehouseStore
import ServiceLifecycle

/// Keeps the database open for the server's lifetime and closes it on graceful shutdown.
struct DatabaseService: Service, CustomStringConvertible {
    let database: Database
    /// What service-lifecycle logs for this service: its name, never its fields (SPEC §7).
    var description: String { "DatabaseService" }

    func run() async throws {
        try? await gracefulShutdown()
        try await database.close()
    }
}
