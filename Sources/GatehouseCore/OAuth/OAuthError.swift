/// An error of the token, introspection and revocation endpoints (RFC 6749 §5.2).
///
/// One type with the RFC's codes as values, refined at the call site with a description, as in
/// ory/fosite. Descriptions never contain a secret or say which half of a credential was wrong.
public struct OAuthError: Error, Equatable, Sendable {
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        /// Too many KDF-bound requests are waiting, or too many failed authentication attempts
        /// (SPEC §7); answered 429 with Retry-After.
        case temporarilyUnavailable = "temporarily_unavailable"
    }

    public var code: Code
    public var description: String
    /// Whether the client authenticated with HTTP Basic: `invalid_client` then answers 401 with
    /// `WWW-Authenticate: Basic` (RFC 6749 §5.2).
    public var usedBasic = false
    /// Seconds a `429` asks the client to wait (`Retry-After`); 1 unless set.
    public var retryAfter: Int?
    /// A wrong user name or password: a user's at the password grant (a failed authentication
    /// that ``FailedAuthenticationThrottle`` counts, unlike other `invalid_grant` answers), or an
    /// API user's at client authentication (`client_id` = user name), where it is also counted
    /// against the account, unlike a wrong application secret.
    public var isWrongUserCredential = false
    /// The HTTP status when it is not the code's own: 503 for a database that is away.
    public var statusOverride: Int?

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// RFC 6749 §5.2: 400, except `invalid_client` (401).
    public var httpStatusCode: Int {
        if let statusOverride { return statusOverride }
        return switch code {
        case .invalidClient: 401
        case .temporarilyUnavailable: 429
        default: 400
        }
    }

    public static func invalidRequest(_ description: String) -> OAuthError { OAuthError(.invalidRequest, description) }
    public static func invalidGrant(_ description: String) -> OAuthError { OAuthError(.invalidGrant, description) }
    public static func invalidScope(_ description: String) -> OAuthError { OAuthError(.invalidScope, description) }
    public static let invalidClient = OAuthError(.invalidClient, "client authentication failed")

    /// RFC 6749 §4.3.2: the resource owner's credentials are `invalid_grant`.
    public static let wrongUserCredential: OAuthError = {
        var error = OAuthError.invalidGrant("invalid username or password")
        error.isWrongUserCredential = true
        return error
    }()

    /// SPEC §7: a client or IP that failed authentication too often, refused for `seconds`.
    public static func tooManyFailedAttempts(retryAfter seconds: Int) -> OAuthError {
        var error = OAuthError(.temporarilyUnavailable, FailedAuthenticationThrottle.refusalMessage(retryAfter: seconds))
        error.retryAfter = seconds
        return error
    }

    /// SPEC §2: the database is away. `temporarily_unavailable` (RFC 6749 §4.1.2.1: "the
    /// authorization server is currently unable to handle the request due to a temporary
    /// overloading or maintenance of the server"), answered 503 with `Retry-After`.
    public static let databaseUnavailable: OAuthError = {
        var error = OAuthError(.temporarilyUnavailable, StoreUnavailable.message)
        error.statusOverride = 503
        error.retryAfter = StoreUnavailable.retryAfterSeconds
        return error
    }()

    /// Whether this answer means a credential was wrong: the client's (`invalid_client`) or, at
    /// the password grant, the user's.
    public var isFailedAuthentication: Bool { code == .invalidClient || isWrongUserCredential }

    /// What a failed authentication guessed at (docs/throttling.md): a password a person chose
    /// (``isWrongUserCredential``), or a generated secret; nil when `error` is no failed
    /// authentication.
    public static func failedGuess(_ error: any Error) -> FailedAuthenticationThrottle.Guess? {
        guard let error = error as? OAuthError, error.isFailedAuthentication else { return nil }
        return error.isWrongUserCredential ? .chosenSecret : .generatedSecret
    }
}
