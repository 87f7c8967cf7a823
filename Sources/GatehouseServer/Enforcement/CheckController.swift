import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird

/// `/v1/check`, forward auth for nginx `auth_request`, Traefik ForwardAuth and Envoy ext_authz
/// (SPEC §5): judges the *original* request named by `X-Forwarded-Method` / `X-Original-Method`
/// and `X-Forwarded-Uri` / `X-Original-URI`, from the client IP the trusted proxies vouch for.
///
/// 200 with `X-Gatehouse-*` identity headers; 401 with `WWW-Authenticate: Bearer
/// error="invalid_token"` for no or a bad credential; 403 with `{"error": <reason>}` when policy
/// refuses. `required_scope` query parameters add scopes the request must carry.
struct CheckController {
    let enforcer: Enforcer

    /// Envoy's HTTP ext_authz sends the client's own method, so the check answers the standard
    /// methods and the WebDAV and cache ones proxies commonly pass (RFC 4918, PURGE).
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]
        + ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "PURGE"].compactMap { HTTPRequest.Method($0) }

    func addRoutes(to router: Router<GatehouseRequestContext>) {
        for method in Self.methods {
            router.on("v1/check", method: method, use: check)
            // Envoy (`path_prefix: /v1/check`) appends the client's path to the check URL.
            router.on("v1/check/**", method: method, use: check)
        }
    }

    @Sendable func check(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        // Proxies name the original request in one of two header pairs. A request carrying both
        // pairs with different values is refused: a client could have added the pair its proxy
        // does not set, to have another path or method judged than the one it sends upstream.
        guard case .agreed(let method) = Self.original(request, .xForwardedMethod, .xOriginalMethod),
              case .agreed(let uri) = Self.original(request, .xForwardedURI, .xOriginalURI),
              case .agreed(let envoyURI) = Self.envoyTarget(request),
              uri == nil || envoyURI == nil || uri == envoyURI
        else { return CheckRefusal.denied(.resourceNotAllowed).response }
        let outcome = try await enforcer.decide(
            method: method ?? request.method.rawValue,
            uri: envoyURI ?? uri ?? "/",
            headers: request.headers,
            peer: context.peerAddress,
            requiredScopes: request.uri.query == nil ? [] : request.uri.queryParameters.getAll("required_scope").map { String($0) },
            now: Date()
        )
        switch outcome {
        case .refused(let refusal):
            return refusal.response
        case .allowed(let identity):
            var headers: HTTPFields = [.cacheControl: "no-store"]
            headers.reserveCapacity(6)
            for header in identity.gatehouseHeaders {
                headers.append(HTTPField(name: header.name, value: header.value))
            }
            return Response(status: .ok, headers: headers)
        }
    }

    enum OriginalHeader {
        /// The value of whichever header is present and non-empty (`nil` when neither is).
        case agreed(String?)
        /// Both are present and they differ.
        case conflicting
    }

    static func original(_ request: Request, _ first: HTTPField.Name, _ second: HTTPField.Name) -> OriginalHeader {
        let one = request.headers.value(of: first).flatMap { $0.isEmpty ? nil : $0 }
        let other = request.headers.value(of: second).flatMap { $0.isEmpty ? nil : $0 }
        if let one, let other, one != other { return .conflicting }
        return .agreed(one ?? other)
    }

    /// `/v1/check/<path>` (Envoy's `path_prefix`): the original target is what follows the prefix
    /// in the raw check URL, query included (`nil` for `/v1/check` itself). It is the one judged:
    /// an `X-Forwarded-Uri`/`X-Original-URI` that names another target is a conflict. A check URL
    /// that only routes here (`//v1/check/…`) names no readable target: a conflict as well.
    static func envoyTarget(_ request: Request) -> OriginalHeader {
        let target = request.uri.string
        if target == "/v1/check" || target.hasPrefix("/v1/check?") { return .agreed(nil) }
        guard target.hasPrefix("/v1/check/") else { return .conflicting }
        return .agreed(String(target.dropFirst("/v1/check".count)))
    }
}

extension HTTPField.Name {
    static let xForwardedMethod = HTTPField.Name("X-Forwarded-Method")!
    static let xOriginalMethod = HTTPField.Name("X-Original-Method")!
    static let xForwardedURI = HTTPField.Name("X-Forwarded-Uri")!
    static let xOriginalURI = HTTPField.Name("X-Original-URI")!
}
