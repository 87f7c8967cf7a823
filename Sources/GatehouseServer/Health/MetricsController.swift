import GatehouseCore
import Hummingbird
import Prometheus

/// `GET /metrics` (Prometheus text format), on the metrics listener (`--metrics-port`) or, with
/// `GATEHOUSE_METRICS_TOKEN`, on the main port; with a token, only `Authorization: Bearer <token>`
/// reads it (issue 14 point 12, docs/admin-api.md).
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let token: MetricsToken?

    func addRoutes(to router: Router<GatehouseRequestContext>) {
        router.get("metrics") { request, _ in
            if let token {
                guard let presented = AuthorizationField(request.headers)?.credentials(ifScheme: "bearer"), token.matches(String(presented)) else {
                    return Response(
                        status: .unauthorized,
                        headers: [.wwwAuthenticate: #"Bearer realm="gatehouse-metrics""#, .contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "a metrics token is required\n"))
                    )
                }
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString()))
            )
        }
    }
}
