import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

// Helpers of CheckEndpointTests: a server with trusted proxies, applications with a policy, one
// request to `/v1/check`, and the three kinds of answer (SPEC §5).

/// The loopback addresses a `.live` test client connects from. HummingbirdTesting binds
/// "localhost", which may resolve to either family, so both are listed where "the peer" is meant.
let loopbackCIDRs = ["127.0.0.1/32", "::1/128"]

/// Runs `body` against a fresh server that believes forwarding headers from `trustedProxies` and
/// throttles failed authentication by `throttle`.
func withCheckServer<Value: Sendable>(
    _ setup: TestingSetup = .router, trustedProxies: [String] = [], throttle: ThrottlePolicy = .standard,
    _ body: @Sendable (OAuthServer) async throws -> Value
) async throws -> Value {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    var configuration = sandbox.oauthConfiguration()
    configuration.trustedProxies = try trustedProxies.map { try #require(CIDR($0), "not a CIDR: \($0)") }
    configuration.throttle = throttle
    return try await withOAuthServer(configuration, sandbox: sandbox, setup: setup, body)
}

/// How the request to `/v1/check` presents its credential.
enum Presented: Sendable, CustomStringConvertible {
    case none
    case bearer(String)
    /// `X-API-Key: <key>`.
    case apiKeyHeader(String)
    /// `Authorization: Basic base64(user:password)`, exactly as RFC 7617 §2 (no form-encoding).
    case basic(String, String)
    /// This exact `Authorization` value.
    case authorization(String)

    var headers: [(String, String)] {
        switch self {
        case .none: []
        case .bearer(let token): [("Authorization", "Bearer \(token)")]
        case .apiKeyHeader(let key): [("X-API-Key", key)]
        case .basic(let user, let password): [("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())]
        case .authorization(let value): [("Authorization", value)]
        }
    }

    var description: String {
        switch self {
        case .none: "no credential"
        case .bearer(let token): "Bearer \(token.prefix(24))…"
        case .apiKeyHeader(let key): "X-API-Key \(key.prefix(24))…"
        case .basic(let user, let password): "Basic \(user.prefix(24)):\(password.isEmpty ? "" : "…")"
        case .authorization(let value): "Authorization \(value.prefix(40))"
        }
    }
}

/// The identity an allowed check must forward.
struct ExpectedIdentity: Sendable {
    var subject: String
    var client: String
    var org: String
    var scope: String
    /// `nil`: no `X-Gatehouse-Customer` header at all.
    var customer: String? = nil
}

extension OAuthServer {
    /// One request to `/v1/check` (or `path`): the credential, then `headers` in order (a name may
    /// repeat, making several field lines).
    func check(
        _ presented: Presented, method: HTTPRequest.Method = .get, path: String = "/v1/check", headers: [(String, String)] = []
    ) async throws -> Reply {
        var fields = HTTPFields()
        for (name, value) in presented.headers + headers {
            fields.append(HTTPField(name: try #require(HTTPField.Name(name)), value: value))
        }
        let response = try await api.client.executeRequest(uri: path, method: method, headers: fields, body: nil)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// A check of the original request `method uri` as Traefik names it (`X-Forwarded-Method`,
    /// `X-Forwarded-Uri`), plus `extra` headers.
    func check(
        _ presented: Presented, _ method: String, _ uri: String, query: String = "", extra: [(String, String)] = []
    ) async throws -> Reply {
        try await check(
            presented, path: "/v1/check" + query, headers: [("X-Forwarded-Method", method), ("X-Forwarded-Uri", uri)] + extra)
    }

    /// Creates an application from admin API fields (defaults: client_credentials, two order
    /// scopes) and returns it as a client.
    func createPolicyApp(_ fields: [String: Any] = [:]) async throws -> OAuthApp {
        var all: [String: Any] = ["name": "app-\(UUID().uuidString.prefix(8))", "grantTypes": ["client_credentials"], "scopes": ["orders:read", "orders:write"]]
        all.merge(fields) { $1 }
        let created = try await api.createApplication(all)
        return OAuthApp(
            id: try #require(created["id"] as? String), clientId: try #require(created["clientId"] as? String),
            secret: try #require(created["clientSecret"] as? String), organisation: try #require(created["organisation"] as? String)
        )
    }
}

let gatehouseHeaderNames = ["X-Gatehouse-Subject", "X-Gatehouse-Client", "X-Gatehouse-Org", "X-Gatehouse-Scope", "X-Gatehouse-Customer"]

extension Reply {
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    func headerValues(_ name: String) -> [String] { headers[values: HTTPField.Name(name)!] }
    /// Whether any `X-Gatehouse-*` header is present.
    var hasIdentityHeaders: Bool { gatehouseHeaderNames.contains { !headerValues($0).isEmpty } }
}

/// 200 with exactly these identity headers (each once).
func expectAllowed(
    _ reply: Reply, _ identity: ExpectedIdentity, _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let context = "\(comment()) → \(reply.status) \(reply.text)"
    #expect(reply.status == .ok, "\(context)", sourceLocation: sourceLocation)
    guard reply.status == .ok else { return }
    #expect(reply.headerValues("X-Gatehouse-Subject") == [identity.subject], "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headerValues("X-Gatehouse-Client") == [identity.client], "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headerValues("X-Gatehouse-Org") == [identity.org], "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headerValues("X-Gatehouse-Scope") == [identity.scope], "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headerValues("X-Gatehouse-Customer") == (identity.customer.map { [$0] } ?? []), "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headers[.cacheControl] == "no-store", "\(context)", sourceLocation: sourceLocation)
}

/// 200, whoever it is (for tests about the request rather than the identity).
func expectOK(_ reply: Reply, _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == .ok, "\(comment()) → \(reply.status) \(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.header("X-Gatehouse-Subject") != nil, "\(comment())", sourceLocation: sourceLocation)
}

/// 401 with exactly one `WWW-Authenticate: Bearer error="invalid_token"` and no identity.
func expectUnauthorized(_ reply: Reply, _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let context = "\(comment()) → \(reply.status) \(reply.text)"
    #expect(reply.status == .unauthorized, "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headers[values: .wwwAuthenticate] == [#"Bearer error="invalid_token""#], "\(context) \(reply.headers)", sourceLocation: sourceLocation)
    #expect(!reply.hasIdentityHeaders, "\(context) \(reply.headers)", sourceLocation: sourceLocation)
}

/// 403 with JSON `{"error": reason, "message": …}` and no identity.
func expectDenied(
    _ reply: Reply, _ reason: String, _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let context = "\(comment()) → \(reply.status) \(reply.text)"
    #expect(reply.status == .forbidden, "\(context)", sourceLocation: sourceLocation)
    #expect(reply.string("error") == reason, "\(context)", sourceLocation: sourceLocation)
    #expect((reply.string("message") ?? "").isEmpty == false, "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, "\(context)", sourceLocation: sourceLocation)
    #expect(reply.headers[.wwwAuthenticate] == nil, "\(context)", sourceLocation: sourceLocation)
    #expect(!reply.hasIdentityHeaders, "\(context) \(reply.headers)", sourceLocation: sourceLocation)
}
