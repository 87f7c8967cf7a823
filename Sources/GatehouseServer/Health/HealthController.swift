import GatehouseCore
import Hummingbird
import Logging
import Prometheus

/// `GET /healthz` (the process is up), `GET /readyz` (the database answers), `GET /metrics`.
struct HealthController {
    let store: any Store
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<GatehouseRequestContext>) {
        router.get("healthz") { _, _ in Self.text("ok\n") }
        router.get("readyz", use: ready)
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString()))
            )
        }
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
