import GatehouseCore
import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until graceful shutdown; a failed round is logged and retried.
struct PeriodicService: Service, CustomStringConvertible {
    var description: String { "PeriodicService(\(name))" }
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                    // Background rounds may batch many rows: they wait longer than a request.
                    try await DatabaseDeadline.$current.withValue(.seconds(30)) { try await work() }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("\(name) failed; retrying", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
            }
        }
    }
}
