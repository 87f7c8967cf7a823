import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import NIOCore

/// A refusal of `/v1/check` and of the gateway listener (SPEC §5), in the check's format:
/// `{"error": code, "message": …}` with `Cache-Control: no-store`. A forward-auth proxy passes
/// the status on to its client, so every case is a refusal, never an allow (docs/enforcement.md).
enum CheckRefusal: HTTPResponseError {
    /// No credential, or a bad one: 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
    case unauthorized
    /// SPEC §7: the client's address failed too often; 429 with `Retry-After`.
    case throttled(retryAfter: Int)
    /// The policy refuses: 403.
    case denied(DenyReason)
    /// SPEC §2: the database is away; 503 with `Retry-After`.
    case unavailable
    /// RFC 9110 §15.5.6 (``MethodNotAllowedMiddleware`` adds `Allow`).
    case methodNotAllowed(MethodNotAllowed)
    /// Any other 4xx for the request itself.
    case invalidRequest(HTTPResponse.Status, String)

    var status: HTTPResponse.Status {
        switch self {
        case .unauthorized: .unauthorized
        case .throttled: .tooManyRequests
        case .denied: .forbidden
        case .unavailable: .serviceUnavailable
        case .methodNotAllowed: .methodNotAllowed
        case .invalidRequest(let status, _): status
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    /// The answer. The headers keep the order they always had on the wire.
    var response: Response {
        switch self {
        case .unauthorized:
            Self.answer(status, [.wwwAuthenticate: #"Bearer error="invalid_token""#], body: Self.unauthorizedBody)
        case .throttled(let seconds):
            Self.answer(status, [.retryAfter: String(seconds)], "too_many_failed_attempts", FailedAuthenticationThrottle.refusalMessage(retryAfter: seconds))
        case .unavailable:
            Self.answer(status, [.retryAfter: String(StoreUnavailable.retryAfterSeconds)], body: Self.unavailableBody)
        case .denied(let reason):
            Self.answer(status, [:], reason.rawValue, Self.message(reason))
        case .methodNotAllowed(let refusal):
            Self.answer(status, [:], "method_not_allowed", refusal.message)
        case .invalidRequest(let status, let message):
            Self.answer(status, [:], "invalid_request", message)
        }
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

    /// Written once: a client without a credential meets it on every request.
    private static let unauthorizedBody = body("invalid_token", "a valid access token, API key or Basic credential is required")

    private static let unavailableBody = body("temporarily_unavailable", StoreUnavailable.message)

    private static func answer(_ status: HTTPResponse.Status, _ headers: HTTPFields, _ error: String, _ message: String) -> Response {
        answer(status, headers, body: body(error, message))
    }

    private static func answer(_ status: HTTPResponse.Status, _ headers: HTTPFields, body: ByteBuffer) -> Response {
        var headers = headers
        headers.append(contentsOf: [HTTPField(name: .contentType, value: "application/json; charset=utf-8"), HTTPField(name: .cacheControl, value: "no-store")])
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// `{"error", "message"}`, byte for byte as `JSONEncoder.gatehouse` writes it.
    private static func body(_ error: String, _ message: String) -> ByteBuffer {
        var writer = JSONObjectWriter(capacity: 128)
        writer.field("error", error)
        writer.field("message", message)
        return ByteBuffer(bytes: writer.finish())
    }
}
