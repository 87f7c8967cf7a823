import GatehouseCore
import Hummingbird
import Logging

/// `GET /healthz` (the process is up), `GET /readyz` (the database answers). `/metrics` is
/// ``MetricsController``'s.
struct HealthController {
    let store: any Store

    func addRoutes(to router: Router<GatehouseRequestContext>) {
        router.get("healthz") { _, _ in Self.text("ok\n") }
        router.get("readyz", use: ready)
    }

    @Sendable func ready(_ request: Request, context: GatehouseRequestContext) async -> Response {
        do {
            try await store.ping()
            return Self.text("ready\n")
        } catch {
            context.logger.warning("readiness check failed: database unreachable")
            return Self.text("database unreachable\n", status: .serviceUnavailable)
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
