import Hummingbird

/// `/v1/customer-sessions` answers errors as the admin API does (SPEC §4: `{"error", "message"}`,
/// `field` naming a bad body field): it reads its body with the same strict JSON decoder, whose
/// errors are ``AdminAPIError``s. Its own format all the same, so its failures are logged as its
/// own and the two can part without touching the other.
enum CustomerSessionsErrorFormat: ErrorFormat {
    static func own(_ error: any Error) -> AdminAPIError? { AdminErrorFormat.own(error) }

    static var unavailable: AdminAPIError { AdminErrorFormat.unavailable }

    static var malformedBody: AdminAPIError { AdminErrorFormat.malformedBody }

    static var bodyTooLarge: AdminAPIError { AdminErrorFormat.bodyTooLarge }

    static func clientError(_ error: HTTPError) -> any Error { AdminErrorFormat.clientError(error) }

    static func methodNotAllowed(_ error: MethodNotAllowed) -> AdminAPIError { AdminErrorFormat.methodNotAllowed(error) }

    static var serverError: any Error { AdminErrorFormat.serverError }

    static var routeGroup: String { "customer sessions" }
}
