/// An OAuth 2.0 grant type an application may use (RFC 6749 §4; `grant_type` values).
public enum GrantType: String, Sendable, Hashable, Encodable, CaseIterable {
    /// RFC 6749 §4.4.
    case clientCredentials = "client_credentials"
    /// RFC 6749 §4.3 (refused to public clients; RFC 9700 §2.4).
    case password
    /// RFC 6749 §6.
    case refreshToken = "refresh_token"
    /// RFC 6749 §4.1.
    case authorizationCode = "authorization_code"
}

/// A grant type written as its `grant_type` text in code and tests (`["client_credentials"]`).
/// Only for literals: an unknown name is a programming error and traps; text from a request or a
/// row goes through `init(rawValue:)`.
extension GrantType: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        guard let grantType = GrantType(rawValue: value) else { preconditionFailure("'\(value)' is not a grant type") }
        self = grantType
    }
}
