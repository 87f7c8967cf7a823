import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 6749 §5.2 error answers: `{"error", "error_description"}`, `Cache-Control: no-store`, and
/// `WWW-Authenticate: Basic` on `invalid_client` when the client tried Basic.
extension OAuthError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: httpStatusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        if code == .invalidClient && usedBasic {
            headers[.wwwAuthenticate] = #"Basic realm="gatehouse", charset="UTF-8""#
        }
        if code == .temporarilyUnavailable {
            headers[.retryAfter] = String(retryAfter ?? 1)
        }
        let body = try JSONEncoder.gatehouse.encode(["error": code.rawValue, "error_description": SecretRedaction.errorMessage(description)])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// RFC 6749 §5.2 for every error of the OAuth route group: never a bare 5xx for client input.
enum OAuthErrorFormat: ErrorFormat {
    static func own(_ error: any Error) -> OAuthError? { error as? OAuthError }

    static var unavailable: OAuthError { .databaseUnavailable }

    static var malformedBody: OAuthError { .invalidRequest(MalformedBody.message) }

    static var bodyTooLarge: OAuthError { .invalidRequest(bodyTooLargeMessage) }

    static func clientError(_ error: HTTPError) -> any Error { OAuthError.invalidRequest(error.body ?? error.status.reasonPhrase) }

    /// RFC 6749 has no error code for a method; `invalid_request` ("The request is missing a
    /// required parameter, includes an unsupported parameter value …") with the 405 status.
    static func methodNotAllowed(_ error: MethodNotAllowed) -> OAuthError {
        var refusal = OAuthError.invalidRequest(error.message)
        refusal.statusOverride = 405
        return refusal
    }

    static var serverError: any Error { HTTPError(.internalServerError) }

    static var routeGroup: String { "OAuth" }
}
