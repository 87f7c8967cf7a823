import Foundation
import GatehouseCore
import Hummingbird

/// An error of the admin API, rendered as `{"error": code, "message": …, "field"?: …}` (SPEC §6).
public struct AdminAPIError: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalidRequest(_ message: String, field: String? = nil) -> AdminAPIError {
        AdminAPIError(.badRequest, "invalid_request", message, field: field)
    }

    public static let unauthorized: AdminAPIError = {
        var error = AdminAPIError(.unauthorized, "unauthorized", "a valid admin key is required (Authorization: Bearer <admin key>)")
        error.headers[.wwwAuthenticate] = #"Bearer realm="gatehouse-admin""#
        return error
    }()

    /// SPEC §2: the database is away; 503 with `Retry-After`.
    public static let temporarilyUnavailable: AdminAPIError = {
        var error = AdminAPIError(.serviceUnavailable, "temporarily_unavailable", StoreUnavailable.message)
        error.headers[.retryAfter] = String(StoreUnavailable.retryAfterSeconds)
        return error
    }()

    /// SPEC §7 in the admin API's (and customer sessions') format.
    static func tooManyFailedAttempts(retryAfter seconds: Int) -> AdminAPIError {
        var error = AdminAPIError(.tooManyRequests, "too_many_failed_attempts", FailedAuthenticationThrottle.refusalMessage(retryAfter: seconds))
        error.headers[.retryAfter] = String(seconds)
        return error
    }

    struct Body: Encodable {
        var error: String
        var message: String
        var field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = try JSONEncoder.gatehouse.encode(Body(error: code, message: SecretRedaction.errorMessage(message), field: field.map(SecretRedaction.errorMessage)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
