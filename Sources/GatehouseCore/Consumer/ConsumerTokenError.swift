/// A failure of the consumer application key flow, answered in the vendor envelope
/// `{"data": null, "status": {"code", "description", "message"}}` (SPEC §4).
///
/// Messages never contain a secret and never say which half of a credential was wrong.
public struct ConsumerTokenError: Error, Equatable, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        /// No, malformed, unknown, disabled or expired API key (401).
        case invalidAPIKey = "INVALID_API_KEY"
        /// Unknown or wrong authentication code, identifier + pass code or user token (401).
        case invalidCredentials = "INVALID_CREDENTIALS"
        /// A malformed request: body, content type, a missing or unknown field (400, 413, 415).
        case invalidRequest = "INVALID_REQUEST"
        /// The consumer is not in the requested unit (403).
        case unitNotAllowed = "UNIT_NOT_ALLOWED"
        /// The requested organisation is not the API key's or the user's (403).
        case organisationNotAllowed = "ORGANISATION_NOT_ALLOWED"
        /// Too many pass-code checks are waiting for the KDF (429, `Retry-After`).
        case tooManyRequests = "TOO_MANY_REQUESTS"
        /// The database is away (SPEC §2): 503 with `Retry-After`.
        case serviceUnavailable = "SERVICE_UNAVAILABLE"
        /// The server failed (500); never caused by client input.
        case serverError = "SERVER_ERROR"

        /// A fixed, human-readable description of the code (the envelope's `status.description`).
        public var description: String {
            switch self {
            case .invalidAPIKey: "The API key is missing or invalid."
            case .invalidCredentials: "The access token identifier is invalid."
            case .invalidRequest: "The request is invalid."
            case .unitNotAllowed: "The consumer does not belong to the requested unit."
            case .organisationNotAllowed: "The token cannot be issued for the requested organisation."
            case .tooManyRequests: "Too many requests; retry shortly."
            case .serviceUnavailable: "The service is temporarily unavailable; retry shortly."
            case .serverError: "The server failed to handle the request."
            }
        }
    }

    public var code: Code
    public var message: String
    /// The HTTP status; `INVALID_REQUEST` may also be 413 (body too large) or 415 (content type).
    public var httpStatusCode: Int
    /// Seconds a `429` asks the client to wait (`Retry-After`); 1 unless set.
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, httpStatusCode: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatusCode = httpStatusCode ?? Self.defaultStatus(code)
    }

    static func defaultStatus(_ code: Code) -> Int {
        switch code {
        case .invalidAPIKey, .invalidCredentials: 401
        case .invalidRequest: 400
        case .unitNotAllowed, .organisationNotAllowed: 403
        case .tooManyRequests: 429
        case .serviceUnavailable: 503
        case .serverError: 500
        }
    }

    public static func invalidRequest(_ message: String) -> ConsumerTokenError { ConsumerTokenError(.invalidRequest, message) }
    public static let invalidAPIKey = ConsumerTokenError(
        .invalidAPIKey, "send a usable API key as the HTTP Basic user name with an empty password"
    )
    public static let invalidCredentials = ConsumerTokenError(.invalidCredentials, "the access token identifier is not valid")

    /// SPEC §7: a client or IP that failed authentication too often, refused for `seconds`.
    public static func tooManyFailedAttempts(retryAfter seconds: Int) -> ConsumerTokenError {
        var error = ConsumerTokenError(.tooManyRequests, FailedAuthenticationThrottle.refusalMessage(retryAfter: seconds))
        error.retryAfter = seconds
        return error
    }

    /// Whether this answer means a credential was wrong: the API key or the consumer's.
    public var isFailedAuthentication: Bool { code == .invalidAPIKey || code == .invalidCredentials }
}
