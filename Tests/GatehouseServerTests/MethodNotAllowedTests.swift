import Foundation
@testable import GatehouseServer
import HTTPTypes
import Testing

/// RFC 9110 §15.5.6 on every route group (SPEC §6, issue 15 point 2): "The origin server MUST
/// generate an Allow header field in a 405 response containing a list of the target resource's
/// currently supported methods."
@Suite("405 Method Not Allowed with Allow")
struct MethodNotAllowedTests {
    /// How each route group writes an error, told by the body alone.
    enum Format: String, CaseIterable {
        case admin, oauth, consumerEnvelope, check

        /// The group a path belongs to, as SPEC §4–§6 assign them.
        init(path: String) {
            if path.hasPrefix("/admin/") || path == "/v1/customer-sessions" {
                self = .admin
            } else if path.hasPrefix("/oauth/") || path.hasPrefix("/.well-known/") {
                self = .oauth
            } else if path.hasPrefix("/authentication/consumer_application_key/") {
                self = .consumerEnvelope
            } else {
                self = .check
            }
        }

        func expect(_ reply: Reply, _ route: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, "\(route)", sourceLocation: sourceLocation)
            #expect(reply.headers[.cacheControl] == "no-store", "\(route)", sourceLocation: sourceLocation)
            switch self {
            case .admin, .check:
                #expect(reply.string("error") == "method_not_allowed", "\(route): \(reply.text)", sourceLocation: sourceLocation)
                #expect(reply.string("message")?.isEmpty == false, "\(route): \(reply.text)", sourceLocation: sourceLocation)
            case .oauth:
                #expect(reply.string("error") == "invalid_request", "\(route): \(reply.text)", sourceLocation: sourceLocation)
                #expect(reply.string("error_description")?.isEmpty == false, "\(route): \(reply.text)", sourceLocation: sourceLocation)
            case .consumerEnvelope:
                let status = reply.object["status"] as? [String: Any]
                #expect(reply.isNull("data"), "\(route): \(reply.text)", sourceLocation: sourceLocation)
                #expect(status?["code"] as? String == "INVALID_REQUEST", "\(route): \(reply.text)", sourceLocation: sourceLocation)
            }
        }
    }

    /// A method `declared` lacks: TRACE, else PATCH, else one no route has.
    static func undeclared(besides declared: Set<String>) throws -> HTTPRequest.Method {
        let name = ["TRACE", "PATCH", "BREW"].first { !declared.contains($0) }!
        return try #require(HTTPRequest.Method(name))
    }

    @Test("Every declared path of every route group answers an undeclared method 405, with exactly its methods in Allow, in its group's format")
    func everyPath() async throws {
        let routes = try await routerRoutes()
        let methodsByPath = Dictionary(grouping: routes, by: \.path).mapValues { Set($0.map(\.method)) }
        #expect(Set(methodsByPath.keys.map(Format.init(path:))) == Set(Format.allCases), "a route group is missing: \(methodsByPath.keys.sorted())")
        try await withAdminAPI { api in
            for (path, declared) in methodsByPath.sorted(by: { $0.key < $1.key }) {
                let method = try Self.undeclared(besides: declared)
                let route = "\(method) \(path)"
                let reply = try await api.send(method, RouteInfo(method: method.rawValue, path: path).concrete("x"), credential: .none)
                #expect(reply.status == .methodNotAllowed, "\(route): \(reply.status) \(reply.text)")
                let allowed = reply.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
                #expect(Set(allowed) == declared, "\(route): Allow \(reply.headers[.allow] ?? "absent")")
                #expect(allowed.count == declared.count, "\(route): Allow \(reply.headers[.allow] ?? "absent")")
                Format(path: path).expect(reply, route)
            }
        }
    }

    @Test("Hummingbird serves no HEAD for GET here, so HEAD on a GET-only path is 405 with Allow: GET", arguments: ["/healthz", "/oauth/jwks", "/admin/openapi.json"])
    func headIsNotServed(path: String) async throws {
        try await withAdminAPI { api in
            let reply = try await api.send(.head, path, credential: .none)
            #expect(reply.status == .methodNotAllowed)
            #expect(reply.headers[.allow] == "GET")
        }
    }

    @Test("A path no route declares stays 404, whatever the method", arguments: [
        (HTTPRequest.Method.get, "/nowhere"), (.trace, "/nowhere"), (.get, "/admin/v1/nowhere"), (.trace, "/admin/v1/orgs/x/y/z"),
        (.delete, "/oauth"), (.put, "/v1/checks"),
    ])
    func unknownPathsStay404(method: HTTPRequest.Method, path: String) async throws {
        try await withAdminAPI { api in
            let reply = try await api.send(method, path, credential: .none)
            #expect(reply.status == .notFound, "\(method) \(path): \(reply.status)")
            #expect(reply.headers[.allow] == nil)
        }
    }

    @Test("A 405 never echoes the path, which may carry a secret")
    func noPathInTheAnswer() async throws {
        try await withAdminAPI { api in
            let secret = "gh_secret_in_the_path_0123456789"
            let reply = try await api.send(.trace, "/admin/v1/apps/\(secret)/secret", credential: .none)
            #expect(reply.status == .methodNotAllowed)
            #expect(!reply.text.contains(secret))
        }
    }

    @Test("The Allow list is in a fixed order: the standard methods first, then the rest by name")
    func allowOrder() throws {
        let methods = ["PURGE", "POST", "MKCOL", "GET", "DELETE", "HEAD"].compactMap { HTTPRequest.Method($0) }
        #expect(MethodNotAllowed(allowed: methods).allowField == "GET, HEAD, POST, DELETE, MKCOL, PURGE")
    }
}
