import Foundation
import GatehouseCore
@testable import GatehouseResourceServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 14 point 9: a token of an application limited by IP, method or resources is refused by
/// the library exactly where `/v1/check` refuses it.
@Suite("Resource-server library: the same decision as /v1/check")
struct ResourceServerPolicyTests {
    static let clientHeader = HTTPField.Name("X-Test-Client")!

    /// A vendor API whose client address comes from a test header (the router test client has no
    /// peer): `GET/POST /api/orders`, `GET /api/orders/{id}`, `GET /api/admin`.
    static func router(
        _ verifier: GatehouseTokenVerifier, _ enforcement: GatehouseEnforcement, peerIsClient: Bool = false
    ) -> Router<BasicGatehouseRequestContext> {
        let router = Router(context: BasicGatehouseRequestContext.self)
        let authenticator: GatehouseAuthenticator<BasicGatehouseRequestContext> = peerIsClient
            ? GatehouseAuthenticator(verifier: verifier, enforcement: enforcement)
            : GatehouseAuthenticator(verifier: verifier, enforcement: enforcement, clientAddress: { request, _ in request.headers[Self.clientHeader] })
        let api = router.group("api").add(middleware: authenticator)
        api.get("orders") { _, _ in "orders" }
        api.post("orders") { _, _ in "created" }
        api.get("orders/{id}") { _, _ in "order" }
        api.get("admin") { _, _ in "admin" }
        return router
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var target: String
        var client: String?
        var extra: [(String, String)] = []
        var expected: HTTPResponse.Status
        var testDescription: String { "\(method) \(target) from \(client ?? "unknown") \(extra) → \(expected.code)" }
    }

    /// The app: GET only, from 203.0.113.0/24, on /api/orders/**.
    static let cases: [Case] = [
        Case(method: .get, target: "/api/orders", client: "203.0.113.7", expected: .ok),
        Case(method: .get, target: "/api/orders/7?x=1", client: "203.0.113.7", expected: .ok),
        Case(method: .get, target: "/api/orders", client: "198.51.100.1", expected: .forbidden),        // ip_not_allowed
        Case(method: .get, target: "/api/orders", client: nil, expected: .forbidden),                   // unknown client
        Case(method: .post, target: "/api/orders", client: "203.0.113.7", expected: .forbidden),       // method_not_allowed
        Case(method: .get, target: "/api/admin", client: "203.0.113.7", expected: .forbidden),         // resource_not_allowed
        Case(method: .get, target: "/api/orders/%2e%2e", client: "203.0.113.7", expected: .forbidden), // a dot segment
        Case(method: .get, target: "/api/orders/7", client: "203.0.113.7", extra: [("X-HTTP-Method-Override", "DELETE")], expected: .forbidden),
    ]

    @Test("A restricted app's token is refused by the library where /v1/check refuses it", arguments: cases)
    func restrictedTokenGetsTheChecksDecision(_ example: Case) async throws {
        let restricted = ["allowedIPs": ["203.0.113.0/24"], "allowedMethods": ["GET"], "resources": ["/api/orders/**"]]
        try await Self.withToken(policy: restricted) { gatehouse, _, token, verifier in
            let enforcement = GatehouseEnforcement.checkedByGatehouse(GatehouseDecisionClient(checkURL: gatehouse.checkURL))

            let check = try await Self.askCheck(gatehouse, token: token, example)
            #expect(check == example.expected, "/v1/check")
            let library = try await Self.status(verifier, enforcement, token: token, example)
            #expect(library == example.expected, "library")
            // Scopes-only mode, as documented, lets the same token through everywhere.
            var anyPath = example
            anyPath.target = example.target.hasPrefix("/api/orders/%2e") ? "/api/orders/7" : example.target
            let scopesOnly = try await Self.status(verifier, .scopesOnly, token: token, anyPath)
            #expect(scopesOnly == .ok)
        }
    }

    @Test("A revoked token is refused once the decision cache's lifetime has passed, and a 60 s cache still remembers it allowed")
    func revocationIsSeenWithinTheCacheLifetime() async throws {
        try await Self.withToken { gatehouse, app, token, verifier in
            let remembering = GatehouseDecisionClient(checkURL: gatehouse.checkURL, lifetime: .seconds(60))
            let asking = GatehouseDecisionClient(checkURL: gatehouse.checkURL, lifetime: .zero)
            let get = Case(method: .get, target: "/api/orders", client: "203.0.113.7", expected: .ok)
            let first = try await Self.status(verifier, .checkedByGatehouse(remembering), token: token, get)
            #expect(first == .ok)
            let basic = "Basic " + Data("\(app.clientId):\(app.secret)".utf8).base64EncodedString()
            let revoked = try await gatehouse.send(.post, "/oauth/revoke", form: [("token", token)], authorization: basic)
            try #require(revoked.status == .ok, "\(revoked.status) \(revoked.text)")
            let remembered = try await Self.status(verifier, .checkedByGatehouse(remembering), token: token, get)
            #expect(remembered == .ok, "remembered for its lifetime")
            let asked = try await Self.status(verifier, .checkedByGatehouse(asking), token: token, get)
            #expect(asked == .unauthorized)
        }
    }

    @Test("By default the TCP peer of BasicGatehouseRequestContext is the client whose address Gatehouse judges")
    func thePeerIsTheClientByDefault() async throws {
        let loopback = ["allowedIPs": ["127.0.0.1/32", "::1/128"]]
        try await Self.withToken(policy: loopback) { gatehouse, _, token, verifier in
            let remoteOnly = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"], policy: ["allowedIPs": ["203.0.113.0/24"]]))
            let enforcement = GatehouseEnforcement.checkedByGatehouse(GatehouseDecisionClient(checkURL: gatehouse.checkURL))
            try await Application(router: Self.router(verifier, enforcement, peerIsClient: true)).test(.live) { client in
                let get = Case(method: .get, target: "/api/orders", client: nil, expected: .ok)
                let local = try await Self.call(client, token: token, get)
                #expect(local == .ok)
                let remote = try await Self.call(client, token: remoteOnly, get)
                #expect(remote == .forbidden)
            }
        }
    }

    @Test("Gatehouse unreachable: the library fails closed with 503")
    func unreachableGatehouseFailsClosed() async throws {
        try await Self.withToken { _, _, token, verifier in
            let dead = GatehouseDecisionClient(checkURL: "http://127.0.0.1:1/v1/check", timeout: .seconds(2))
            let get = Case(method: .get, target: "/api/orders", client: "203.0.113.7", expected: .serviceUnavailable)
            let unreachable = try await Self.status(verifier, .checkedByGatehouse(dead), token: token, get)
            #expect(unreachable == .serviceUnavailable)
        }
    }

    @Test("The decision cache is bounded, keeps refusals no longer than allowances, and never keeps an outage")
    func decisionCacheIsBounded() {
        let clock = ManualClock()
        let cache = DecisionCache(lifetime: .seconds(5), capacity: 3, clock: clock.function)
        cache.remember(.allowed, for: "a")
        cache.remember(.denied(reason: .ipNotAllowed), for: "b")
        cache.remember(.unavailable, for: "c")
        cache.remember(.throttled(retryAfter: "9"), for: "d")
        #expect(cache.decision(for: "a") == .allowed)
        #expect(cache.decision(for: "b") == .denied(reason: .ipNotAllowed))
        #expect(cache.decision(for: "c") == nil && cache.decision(for: "d") == nil)
        clock.advance(by: .seconds(5))
        #expect(cache.decision(for: "a") == nil && cache.decision(for: "b") == nil)
        for index in 0..<10 { cache.remember(.allowed, for: "k\(index)") }
        #expect(cache.count <= 3)
        #expect(cache.key(["t", "GET", "/x"]).utf8.count == 64)
        #expect(cache.key(["t", "GET", "/x"]) != cache.key(["t", "GET/x", ""]))
    }

    // MARK: helpers

    /// A real Gatehouse that trusts the loopback proxy, an `orders:read` app with `policy`, its
    /// token, and a verifier of Gatehouse's keys.
    static func withToken(
        policy: [String: [String]] = [:],
        _ body: @Sendable (LiveGatehouse, LiveGatehouse.App, String, GatehouseTokenVerifier) async throws -> Void
    ) async throws {
        try await withGatehouse(trustedProxies: [CIDR("127.0.0.1/32")!, CIDR("::1/128")!]) { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read"], policy: policy)
            let token = try await gatehouse.token(app)
            try await body(gatehouse, app, token, GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL))
        }
    }

    /// The status the vendor app (router test client) answers `example` with.
    static func status(
        _ verifier: GatehouseTokenVerifier, _ enforcement: GatehouseEnforcement, token: String, _ example: Case
    ) async throws -> HTTPResponse.Status {
        try await Application(router: router(verifier, enforcement)).test(.router) { client in
            try await call(client, token: token, example)
        }
    }

    static func call(_ client: some TestClientProtocol, token: String, _ example: Case) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let address = example.client { headers[clientHeader] = address }
        for (name, value) in example.extra { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await client.executeRequest(uri: example.target, method: example.method, headers: headers, body: nil).status
    }

    /// The same question put to `/v1/check` as a trusted proxy would.
    static func askCheck(_ gatehouse: LiveGatehouse, token: String, _ example: Case) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        headers[HTTPField.Name("X-Forwarded-Method")!] = example.method.rawValue
        headers[HTTPField.Name("X-Forwarded-Uri")!] = example.target
        headers[HTTPField.Name("X-Forwarded-For")!] = example.client ?? "0.0.0.0"
        for (name, value) in example.extra { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await gatehouse.client.executeRequest(uri: "/v1/check", method: .get, headers: headers, body: nil).status
    }
}
