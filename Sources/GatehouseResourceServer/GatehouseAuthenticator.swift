import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import NIOCore

/// A request context that can carry the claims of a verified Gatehouse access token.
///
/// ```swift
/// struct AppContext: GatehouseAuthenticatedContext {
///     var coreContext: CoreRequestContextStorage
///     var gatehouseClaims: AccessTokenClaims?
///     init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
/// }
/// ```
public protocol GatehouseAuthenticatedContext: RequestContext {
    /// Set by ``GatehouseAuthenticator`` once the request's bearer token verified.
    var gatehouseClaims: AccessTokenClaims? { get set }
}

/// The smallest ``GatehouseAuthenticatedContext``, for apps that need nothing else per request.
/// It knows the TCP peer, which ``GatehouseAuthenticator`` reports as the client's address.
public struct BasicGatehouseRequestContext: GatehouseAuthenticatedContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var gatehouseClaims: AccessTokenClaims?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.gatehouseClaims = nil
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// Admits a request only with a valid Gatehouse access token in `Authorization: Bearer`
/// (RFC 6750 §2.1), verified locally by a ``GatehouseTokenVerifier``, and — with
/// ``GatehouseEnforcement/checkedByGatehouse(_:)`` — allowed by the same decision as Gatehouse's
/// `/v1/check`; then puts its claims in `context.gatehouseClaims`.
///
/// Refusals follow RFC 6750 §3:
/// - no `Authorization`, or another scheme: `401` with `WWW-Authenticate: Bearer` and no error
///   code (§3.1: "If the request lacks any authentication information (e.g., the client was
///   unaware that authentication is necessary or attempted using an unsupported authentication
///   method), the resource server SHOULD NOT include an error code or other error information");
/// - a bearer token that does not verify (or that Gatehouse says is revoked): `401` with
///   `WWW-Authenticate: Bearer error="invalid_token"` (§3.1: "The access token provided is
///   expired, revoked, malformed, or invalid for other reasons. The resource SHOULD respond with
///   the HTTP 401 (Unauthorized) status code");
/// - checked by Gatehouse: `403` whose message names the policy's reason (`ip_not_allowed`,
///   `method_not_allowed`, `resource_not_allowed`, …), `429` when Gatehouse throttles the client,
///   `503` when Gatehouse cannot be asked (fails closed).
///
/// With ``GatehouseEnforcement/scopesOnly`` an application's IP, method and resource
/// restrictions are not enforced and revocation is not seen: see ``GatehouseEnforcement``.
public struct GatehouseAuthenticator<Context: GatehouseAuthenticatedContext>: RouterMiddleware {
    /// The client's address as the resource server knows it (`nil`: unknown).
    public typealias ClientAddress = @Sendable (Request, Context) -> String?

    public let verifier: GatehouseTokenVerifier
    public let enforcement: GatehouseEnforcement
    /// The `realm` of the challenge (RFC 6750 §3), if any.
    public let realm: String?
    let clientAddress: ClientAddress

    /// - Parameter clientAddress: the client's IP address; by default the TCP peer of a context
    ///   that is a `RemoteAddressRequestContext`. Behind your own proxy, derive it from what that
    ///   proxy forwards.
    public init(
        verifier: GatehouseTokenVerifier, enforcement: GatehouseEnforcement, realm: String? = nil,
        clientAddress: @escaping ClientAddress = { _, context in (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress }
    ) {
        self.verifier = verifier
        self.enforcement = enforcement
        self.realm = realm
        self.clientAddress = clientAddress
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let values = request.headers[values: .authorization]
        guard let header = values.first else { throw BearerChallenge.missing(realm: realm) }
        // Two Authorization headers are not one credential.
        guard values.count == 1 else { throw BearerChallenge.invalidToken(realm: realm) }
        // RFC 9110 §11.1: the scheme is case-insensitive.
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw BearerChallenge.missing(realm: realm)
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let claims = await verifier.verify(token) else { throw BearerChallenge.invalidToken(realm: realm) }
        if case .checkedByGatehouse(let gatehouse) = enforcement {
            let overrides = request.headers.filter { MethodOverride.isOverrideHeader($0.name.canonicalName) }
            let decision = await gatehouse.decide(
                token: token, method: request.method.rawValue, target: request.uri.string, clientAddress: clientAddress(request, context),
                overrides: overrides.map { ($0.name.rawName, $0.value) })
            if let refusal = BearerChallenge.refusal(decision, realm: realm) { throw refusal }
        }
        var context = context
        context.gatehouseClaims = claims
        return try await next(request, context)
    }
}

/// Admits a request only when its verified token (``GatehouseAuthenticator`` runs first) carries
/// every one of ``scopes``.
///
/// A token without them gets `403` with `WWW-Authenticate: Bearer error="insufficient_scope",
/// scope="…"` (RFC 6750 §3.1: "The request requires higher privileges than provided by the access
/// token. The resource server SHOULD respond with the HTTP 403 (Forbidden) status code and MAY
/// include the "scope" attribute with the scope necessary to access the protected resource").
/// A request that reached it unauthenticated (no ``GatehouseAuthenticator`` before it) gets `401`:
/// it fails closed.
public struct RequireScopes<Context: GatehouseAuthenticatedContext>: RouterMiddleware {
    public let scopes: [String]
    public let realm: String?

    /// - Parameter scopes: scope tokens (RFC 6749 §3.3: printable ASCII without space, `"` or `\`).
    public init(_ scopes: String..., realm: String? = nil) {
        self.init(scopes, realm: realm)
    }

    public init(_ scopes: [String], realm: String? = nil) {
        precondition(
            scopes.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) } },
            "RequireScopes: \(scopes) are not RFC 6749 §3.3 scope tokens"
        )
        self.scopes = scopes
        self.realm = realm
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let claims = context.gatehouseClaims else { throw BearerChallenge.missing(realm: realm) }
        let granted = Set(claims.scopes)
        guard scopes.allSatisfy(granted.contains) else { throw BearerChallenge.insufficientScope(scopes, realm: realm) }
        return try await next(request, context)
    }
}

/// The RFC 6750 §3 refusals, as Hummingbird errors (JSON body `{"error": {"message": …}}`).
enum BearerChallenge {
    static func missing(realm: String?) -> HTTPError {
        error(.unauthorized, challenge: realm.map { "Bearer realm=\(quoted($0))" } ?? "Bearer", message: "A Bearer access token is required.")
    }

    static func invalidToken(realm: String?) -> HTTPError {
        error(.unauthorized, challenge: "Bearer " + parameters(realm: realm, [("error", "invalid_token")]), message: "The access token is invalid.")
    }

    /// The answer to a decision of Gatehouse's that refuses the request (`nil`: allowed).
    static func refusal(_ decision: GatehouseDecision, realm: String?) -> HTTPError? {
        switch decision {
        case .allowed:
            nil
        case .unauthorized:
            invalidToken(realm: realm)
        case .denied(let reason):
            HTTPError(.forbidden, headers: [.cacheControl: "no-store"], message: "Gatehouse's policy refuses this request: \(reason?.rawValue ?? "forbidden")")
        case .throttled(let retryAfter):
            HTTPError(
                .tooManyRequests, headers: [.cacheControl: "no-store", .retryAfter: retryAfter ?? "60"],
                message: "Too many failed authentications from this address.")
        case .unavailable:
            HTTPError(.serviceUnavailable, headers: [.cacheControl: "no-store"], message: "The access decision cannot be made now.")
        }
    }

    static func insufficientScope(_ scopes: [String], realm: String?) -> HTTPError {
        let scope = scopes.joined(separator: " ")
        return error(
            .forbidden, challenge: "Bearer " + parameters(realm: realm, [("error", "insufficient_scope"), ("scope", scope)]),
            message: "The access token lacks the scope \(scope)."
        )
    }

    private static func error(_ status: HTTPResponse.Status, challenge: String, message: String) -> HTTPError {
        HTTPError(status, headers: [.wwwAuthenticate: challenge, .cacheControl: "no-store"], message: message)
    }

    private static func parameters(realm: String?, _ pairs: [(String, String)]) -> String {
        ((realm.map { [("realm", $0)] } ?? []) + pairs).map { "\($0.0)=\(quoted($0.1))" }.joined(separator: ", ")
    }

    /// An RFC 9110 §5.6.4 quoted-string.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
