import GatehouseCore
import Hummingbird

/// The check's format (``CheckRefusal``), also that of every route without a format of its own:
/// `/healthz`, `/readyz`, `/metrics`.
enum CheckErrorFormat: ErrorFormat {
    static func own(_ error: any Error) -> CheckRefusal? { error as? CheckRefusal }

    static var unavailable: CheckRefusal { .unavailable }

    static var malformedBody: CheckRefusal { .invalidRequest(.badRequest, MalformedBody.message) }

    static var bodyTooLarge: CheckRefusal { .invalidRequest(.contentTooLarge, bodyTooLargeMessage) }

    /// Hummingbird's own answer, as it always was on these routes.
    static func clientError(_ error: HTTPError) -> any Error { error }

    static func methodNotAllowed(_ error: MethodNotAllowed) -> CheckRefusal { .methodNotAllowed(error) }

    static var serverError: any Error { HTTPError(.internalServerError) }

    static var routeGroup: String { "check" }
}
