import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/check`, forward auth for nginx `auth_request`, Traefik ForwardAuth and Envoy ext_authz
/// (SPEC §5): judges the *original* request named by `X-Forwarded-Method` / `X-Original-Method`
/// and `X-Forwarded-Uri` / `X-Original-URI`, from the client IP the trusted proxies vouch for.
///
/// 200 with `X-Gatehouse-*` identity headers; 401 with `WWW-Authenticate: Bearer
/// error="invalid_token"` for no or a bad credential; 403 with `{"error": <reason>}` when policy
/// refuses. `required_scope` query parameters add scopes the request must carry.
struct CheckController {
    let credentials: CredentialResolver
    let clientIPs: ClientIPResolver

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
        let now = Date()
        let peer = context.remoteAddress?.ipAddress.flatMap { GatehouseCore.IPAddress($0) }
        // Proxies name the original request in one of two header pairs. A request carrying both
        // pairs with different values is refused: a client could have added the pair its proxy
        // does not set, to have another path or method judged than the one it sends upstream.
        guard let method = try agreeing(request, "X-Forwarded-Method", "X-Original-Method"),
              let uri = try agreeing(request, "X-Forwarded-Uri", "X-Original-URI")
        else { return try Self.forbidden(.resourceNotAllowed) }
        let accessRequest = AccessRequest(
            method: method.value ?? request.method.rawValue,
            uri: uri.value ?? Self.envoyPath(request) ?? "/",
            clientIP: clientIPs.clientIP(
                peer: peer,
                forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!],
                realIP: header(request, "X-Real-IP")
            ),
            requiredScopes: request.uri.queryParameters.getAll("required_scope").map { String($0) }
        )
        guard let credential = try await credentials.resolve(request.headers, now: now) else {
            return Self.unauthorized
        }
        switch Policy.evaluate(accessRequest, credential: credential, now: now) {
        case .allow(let identity):
            var headers: HTTPFields = [:]
            headers[HTTPField.Name("X-Gatehouse-Subject")!] = identity.subject
            headers[HTTPField.Name("X-Gatehouse-Client")!] = identity.clientId
            headers[HTTPField.Name("X-Gatehouse-Org")!] = identity.organisationId
            headers[HTTPField.Name("X-Gatehouse-Scope")!] = identity.scopes.joined(separator: " ")
            if let customer = identity.customer { headers[HTTPField.Name("X-Gatehouse-Customer")!] = customer }
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers)
        case .deny(let reason):
            return try Self.forbidden(reason)
        }
    }

    /// The 403 answer for a refusal: `{"error": <reason>, "message": …}`.
    static func forbidden(_ reason: DenyReason) throws -> Response {
        let body = try JSONEncoder.gatehouse.encode(["error": reason.rawValue, "message": Self.message(reason)])
        return Response(
            status: .forbidden, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// The value of whichever of the two headers is present; `nil` when both are present and
    /// disagree; `.some(nil)` when neither is.
    private func agreeing(_ request: Request, _ first: String, _ second: String) throws -> (value: String?, Void)? {
        let one = header(request, first)
        let other = header(request, second)
        if let one, let other, one != other { return nil }
        return (one ?? other, ())
    }

    /// `/v1/check/<path>` (Envoy's `path_prefix`): the original path is what follows the prefix.
    static func envoyPath(_ request: Request) -> String? {
        let path = request.uri.path
        guard path.hasPrefix("/v1/check/") else { return nil }
        return String(path.dropFirst("/v1/check".count)) + (request.uri.query.map { "?" + $0 } ?? "")
    }

    private func header(_ request: Request, _ names: String...) -> String? {
        for name in names {
            if let value = request.headers[HTTPField.Name(name)!], !value.isEmpty { return value }
        }
        return nil
    }

    static var unauthorized: Response {
        Response(
            status: .unauthorized,
            headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#, .contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"invalid_token","message":"a valid access token, API key or Basic credential is required"}"#))
        )
    }

    static func message(_ reason: DenyReason) -> String {
        switch reason {
        case .ipNotAllowed: "the client's IP address is not in the allow-list"
        case .methodNotAllowed: "this HTTP method is not allowed for this credential"
        case .resourceNotAllowed: "this path is not assigned to this credential"
        case .insufficientScope: "the credential lacks a required scope"
        case .authorizationType: "this application must exchange its credentials for a bearer token"
        }
    }
}
