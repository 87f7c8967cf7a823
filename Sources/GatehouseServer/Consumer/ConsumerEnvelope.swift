import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import NIOCore

/// The vendor envelope of the consumer application key flow (SPEC §4):
/// `{"data": {"token": "…"}, "status": {"code": "OK", "description": "", "message": ""}}` on
/// success, `{"data": null, "status": {"code": "<ERROR>", "description", "message"}}` on failure.
struct ConsumerEnvelope: ResponseGenerator, Encodable {
    struct TokenData: Encodable {
        var token: String
    }

    struct Status: Encodable {
        var code: String
        var description: String
        var message: String
    }

    var data: TokenData?
    var status: Status
    var httpStatus: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    static func token(_ token: String) -> ConsumerEnvelope {
        ConsumerEnvelope(data: TokenData(token: token), status: Status(code: "OK", description: "", message: ""))
    }

    enum CodingKeys: String, CodingKey { case data, status }

    /// `data` is always present: `null` on failure.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data)
        try c.encode(status, forKey: .status)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = try JSONEncoder.gatehouse.encode(self)
        return Response(status: httpStatus, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension ConsumerTokenError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: httpStatusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [:]
        switch code {
        case .invalidAPIKey, .invalidCredentials:
            // RFC 9110 §15.5.2: a 401 carries a challenge; the API key is the Basic user name.
            headers[.wwwAuthenticate] = #"Basic realm="gatehouse-consumer", charset="UTF-8""#
        case .tooManyRequests:
            headers[.retryAfter] = String(retryAfter ?? 1)
        case .serviceUnavailable:
            headers[.retryAfter] = String(StoreUnavailable.retryAfterSeconds)
        default:
            break
        }
        let envelope = ConsumerEnvelope(
            data: nil, status: .init(code: code.rawValue, description: code.description, message: SecretRedaction.errorMessage(message)), httpStatus: status,
            headers: headers
        )
        return try envelope.response(from: request, context: context)
    }
}

/// The consumer route group's errors in the envelope, with a 4xx for anything the client sent
/// (bad JSON, wrong content type, oversized or non-UTF-8 bodies, unknown fields).
enum ConsumerErrorFormat: ErrorFormat {
    static func own(_ error: any Error) -> ConsumerTokenError? {
        switch error {
        case let error as ConsumerTokenError: error
        case is PasswordHasher.Overloaded: ConsumerTokenError(.tooManyRequests, "too many pass-code checks in progress; retry shortly")
        default: nil
        }
    }

    static var unavailable: ConsumerTokenError { ConsumerTokenError(.serviceUnavailable, StoreUnavailable.message) }

    static var malformedBody: ConsumerTokenError { ConsumerTokenError(.invalidRequest, MalformedBody.message) }

    static var bodyTooLarge: ConsumerTokenError { ConsumerTokenError(.invalidRequest, bodyTooLargeMessage, httpStatusCode: 413) }

    static func clientError(_ error: HTTPError) -> any Error {
        let message = error.status == .contentTooLarge ? bodyTooLargeMessage : error.body ?? error.status.reasonPhrase
        return ConsumerTokenError(.invalidRequest, message, httpStatusCode: error.status.code)
    }

    static func methodNotAllowed(_ error: MethodNotAllowed) -> ConsumerTokenError {
        ConsumerTokenError(.invalidRequest, error.message, httpStatusCode: 405)
    }

    static var serverError: any Error { ConsumerTokenError(.serverError, "the server failed to handle the request") }

    static var routeGroup: String { "consumer token" }
}
