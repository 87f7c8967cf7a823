/// A successful token response (RFC 6749 §5.1).
public struct TokenResponse: Encodable, Sendable, Equatable {
    public var access_token: String
    public var token_type = "Bearer"
    public var expires_in: Int
    public var scope: String
    public var refresh_token: String?
}

extension TokenResponse: JSONObjectWritable {
    /// The fields in the order of `JSONEncoder.gatehouse` (sorted keys).
    public func write(to writer: inout JSONObjectWriter) {
        writer.field("access_token", access_token)
        writer.field("expires_in", expires_in)
        writer.field("refresh_token", refresh_token)
        writer.field("scope", scope)
        writer.field("token_type", token_type)
    }
}
