import GatehouseCore
import Hummingbird
import Logging
import NIOCore

/// Renders every error raised in a route group in the group's own ``ErrorFormat``, so no client
/// input produces a 5xx or a bare framework error: malformed body → 400, too large → 413 (or the
/// format's own status), Hummingbird's 4xx, database away → 503, anything else logged and 500.
struct ErrorMiddleware<Format: ErrorFormat>: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    /// Names the route group in the log line of a server error: the format's own group unless a
    /// group that shares the format names itself (`/v1/customer-sessions` speaks the admin API's).
    var routeGroup = Format.routeGroup

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw translate(error, logger: context.logger)
        }
    }

    func translate(_ error: any Error, logger: Logger) -> any Error {
        if let own = Format.own(error) { return own }
        switch error {
        case is StoreUnavailable:
            return Format.unavailable
        case let error where MalformedBody.isMalformedBody(error):
            return Format.malformedBody
        case is NIOTooManyBytesError:
            return Format.bodyTooLarge
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return Format.clientError(error)
        default:
            logger.error("\(routeGroup) request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Format.serverError
        }
    }
}
