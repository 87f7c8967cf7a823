import GatehouseCore
import Hummingbird
import Logging
import NIOCore

/// Turns every error raised under `/admin` into the admin API's JSON error format, so no client
/// input can produce a 5xx or a bare framework error.
struct AdminErrorMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Self.translate(error, logger: context.logger)
        }
    }

    static func translate(_ error: any Error, logger: Logger) -> AdminAPIError {
        switch error {
        case let error as AdminAPIError:
            return error
        case let error as ValidationError:
            return .invalidRequest(error.message.prefixedField(error.field), field: error.field)
        case DomainError.notFound(let what):
            return AdminAPIError(.notFound, "not_found", "no \(what)")
        case DomainError.conflict(let message):
            return AdminAPIError(.conflict, "conflict", message)
        case DomainError.quotaExceeded(let message):
            return AdminAPIError(.conflict, "quota_exceeded", message)
        case is StoreUnavailable:
            return .temporarilyUnavailable
        case let error where MalformedBody.isMalformedBody(error):
            return .invalidRequest(MalformedBody.message)
        case is NIOTooManyBytesError:
            return AdminAPIError(.contentTooLarge, "invalid_request", "request body larger than \(ServerLimits.maxBodySize) bytes")
        case let error as HTTPError where error.status == .contentTooLarge:
            return AdminAPIError(.contentTooLarge, "invalid_request", "request body larger than \(ServerLimits.maxBodySize) bytes")
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return AdminAPIError(error.status, "invalid_request", error.body ?? error.status.reasonPhrase)
        default:
            logger.error("admin request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return AdminAPIError(.internalServerError, "server_error", "the server failed to handle the request")
        }
    }
}

extension String {
    func prefixedField(_ field: String) -> String { "\(field) \(self)" }
}
