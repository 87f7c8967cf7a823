import GatehouseCore
import Logging
import ServiceLifecycle

/// Listens for changes committed by any instance on the shared database and reacts (drops
/// caches), until graceful shutdown.
struct ChangeListenerService: Service, CustomStringConvertible {
    var description: String { "ChangeListenerService" }
    let store: any Store
    let logger: Logger
    let onChange: @Sendable (String) -> Void

    init(store: any Store, logger: Logger, onChange: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.logger = logger
        self.onChange = onChange
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            do {
                try await store.listenForChanges(onChange)
            } catch is CancellationError {
            } catch {
                logger.warning("change listener stopped", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
        }
    }
}
