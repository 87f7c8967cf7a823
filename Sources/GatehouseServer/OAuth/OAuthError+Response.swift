import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import Logging
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

/// Renders every error of the OAuth route group in the RFC 6749 format, never a bare 5xx for
/// client input.
struct OAuthErrorMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OAuthError {
            throw error
        } catch is StoreUnavailable {
            throw OAuthError.databaseUnavailable
        } catch let error where MalformedBody.isMalformedBody(error) {
            throw OAuthError.invalidRequest(MalformedBody.message)
        } catch is NIOTooManyBytesError {
            throw OAuthError.invalidRequest("request body larger than \(ServerLimits.maxBodySize) bytes")
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            throw OAuthError.invalidRequest(error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("OAuth request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            throw HTTPError(.internalServerError)
        }
    }
}
