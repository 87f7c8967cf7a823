import Hummingbird

/// How one route group writes its errors on the wire (the admin API's JSON, RFC 6749 §5.2, the
/// consumer envelope, the check's JSON). ``ErrorMiddleware`` maps every failure the groups share
/// to one of these cases; the format only says how each case reads in its own words.
protocol ErrorFormat: Sendable {
    associatedtype Failure: HTTPResponseError

    /// The group's own errors, and the domain errors it names itself (e.g. `DomainError` in the
    /// admin API); `nil` for anything else, which the shared mapping then handles.
    static func own(_ error: any Error) -> Failure?

    /// SPEC §2: the database is away; 503 with `Retry-After`.
    static var unavailable: Failure { get }

    /// A body the client framed wrongly (``MalformedBody``): 400.
    static var malformedBody: Failure { get }

    /// A body over ``ServerLimits/maxBodySize``.
    static var bodyTooLarge: Failure { get }

    /// A 4xx Hummingbird raised for the request.
    static func clientError(_ error: HTTPError) -> any Error

    /// RFC 9110 §15.5.6: a method the path does not have. ``MethodNotAllowedMiddleware`` adds the
    /// `Allow` field to the answer.
    static func methodNotAllowed(_ error: MethodNotAllowed) -> Failure

    /// Anything else: the server's fault, answered without detail (the cause is logged).
    static var serverError: any Error { get }

    /// Names the route group in the log line of a server error ("admin", "OAuth", …).
    static var routeGroup: String { get }
}

extension ErrorFormat {
    /// What every format says of a body over the limit.
    static var bodyTooLargeMessage: String { "request body larger than \(ServerLimits.maxBodySize) bytes" }
}
