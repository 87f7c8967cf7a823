import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import Testing

@Suite("Health, metrics and OpenAPI")
struct HealthTests {
    @Test("/healthz and /readyz answer 200 without an admin key")
    func health() async throws {
        try await withAdminAPI { api in
            let healthz = try await api.get("/healthz", credential: .none)
            #expect(healthz.status == .ok)
            let readyz = try await api.get("/readyz", credential: .none)
            #expect(readyz.status == .ok)
        }
    }

    static let metricsToken = "metrics-" + String(repeating: "t0K", count: 12)

    @Test("/metrics counts requests by route, method and status")
    func metrics() async throws {
        try await withAdminAPI(configure: { $0.metrics.token = try MetricsToken(Self.metricsToken) }) { api in
            try await api.createOrganisation("acme")
            _ = try await api.get("/admin/v1/orgs/acme")
            _ = try await api.get("/admin/v1/orgs", credential: .none)
            _ = try await api.get("/healthz", credential: .none)
            let reply = try await api.get("/metrics", credential: .header("Bearer \(Self.metricsToken)"))
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let lines = reply.text.split(separator: "\n").filter { $0.hasPrefix("gatehouse_http_requests_total{") }
            #expect(!lines.isEmpty, "\(reply.text.prefix(2000))")
            #expect(lines.contains { $0.contains(#"route="/admin/v1/orgs""#) && $0.contains(#"status="201""#) && $0.contains(#"method="POST""#) })
            #expect(lines.contains { $0.contains(#"route="/admin/v1/orgs"#) && $0.contains(#"status="401""#) })
            #expect(lines.contains { $0.contains(#"route="/healthz""#) && $0.contains(#"status="200""#) })
            // A route label is the route's pattern, never a concrete id or name from the URL.
            #expect(!lines.contains { $0.contains("acme") })
            #expect(reply.text.contains("gatehouse_http_request_duration_seconds"))
            #expect(!reply.text.contains(api.key))
        }
    }

    // MARK: Issue 14 point 12

    @Test("Without a metrics port or token, /metrics is not served on the main port")
    func metricsOffByDefault() async throws {
        try await withAdminAPI { api in
            _ = try await api.get("/healthz", credential: .none)
            let reply = try await api.get("/metrics", credential: .none)
            #expect(reply.status == .notFound)
            #expect(!reply.text.contains("gatehouse_http_requests_total"))
        }
    }

    @Test("With a metrics token, /metrics without it or with another value is 401", arguments: [
        Credential.none, .header("Bearer wrong"), .header("Bearer " + HealthTests.metricsToken + "x"),
        .header("Bearer " + String(HealthTests.metricsToken.dropLast())), .header("Basic " + HealthTests.metricsToken),
    ])
    func metricsTokenRequired(credential: Credential) async throws {
        try await withAdminAPI(configure: { $0.metrics.token = try MetricsToken(Self.metricsToken) }) { api in
            let reply = try await api.get("/metrics", credential: credential)
            #expect(reply.status == .unauthorized)
            #expect(reply.headers[.wwwAuthenticate] == #"Bearer realm="gatehouse-metrics""#)
            #expect(!reply.text.contains("gatehouse_http_requests_total"))
        }
    }

    @Test("With a metrics port, the main port does not serve /metrics, even with the token")
    func metricsLeaveTheMainPort() async throws {
        try await withAdminAPI(configure: {
            $0.metrics = .init(port: 0, token: try MetricsToken(Self.metricsToken))
        }) { api in
            let reply = try await api.get("/metrics", credential: .header("Bearer \(Self.metricsToken)"))
            #expect(reply.status == .notFound)
        }
    }

    @Test("A metrics token shorter than 32 characters or with spaces is refused", arguments: ["", "short", String(repeating: "a", count: 31), String(repeating: "a b", count: 12)])
    func weakMetricsToken(token: String) {
        #expect(throws: GatehouseCore.ValidationError.self) { try MetricsToken(token) }
    }

    @Test("/admin/openapi.json is an OpenAPI 3.1.0 JSON document served without an admin key")
    func openAPIServed() async throws {
        try await withAdminAPI { api in
            let reply = try await api.get("/admin/openapi.json", credential: .none)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.string("openapi") == "3.1.0")
            let paths = try #require(reply["paths"] as? [String: Any])
            #expect(paths["/admin/v1/orgs"] != nil)
            #expect(reply["info"] is [String: Any])
        }
    }

    @Test("The OpenAPI document describes every admin route of the router with its method")
    func openAPICoversRouter() async throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(AdminContract.json)) as? [String: Any]
        )
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let routes = try await routerRoutes().filter { $0.path.hasPrefix("/admin/v1") }
        #expect(routes.count >= 12, "\(routes)")
        for route in routes {
            let operations = paths[route.path]
            #expect(operations != nil, "\(route) is not in the OpenAPI document (paths: \(paths.keys.sorted()))")
            #expect(operations?[route.method.lowercased()] != nil, "\(route) has no operation in the OpenAPI document")
        }
        // And the document promises nothing the router does not serve.
        let served = Set(routes.map { "\($0.method.lowercased()) \($0.path)" })
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        for (path, operations) in paths {
            for method in operations.keys where methods.contains(method) {
                #expect(served.contains("\(method) \(path)"), "\(method.uppercased()) \(path) is documented but not routed")
            }
        }
    }
}
