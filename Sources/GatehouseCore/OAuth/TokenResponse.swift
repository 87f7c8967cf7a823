/// A successful token response (RFC 6749 §5.1).
public struct TokenResponse: Encodable, Sendable, Equatable {
    public var access_token: String
    public var token_type = "Bearer"
    public var expires_in: Int
    public var scope: String
    public var refresh_token: String?
}
