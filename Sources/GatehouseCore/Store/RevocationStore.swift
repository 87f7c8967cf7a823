import Foundation

/// Revoked access tokens (RFC 7009), by `jti`.
public protocol RevocationStore: Sendable {
    /// Records a revoked access token's `jti` until the token would have expired.
    func revokeAccessToken(jti: String, expiresAt: Date) async throws
    func isAccessTokenRevoked(jti: String) async throws -> Bool
}

extension RevocationStore where Self: StoreWrapper {
    public func revokeAccessToken(jti: String, expiresAt: Date) async throws {
        try await base.revokeAccessToken(jti: jti, expiresAt: expiresAt)
    }
    public func isAccessTokenRevoked(jti: String) async throws -> Bool { try await base.isAccessTokenRevoked(jti: jti) }
}
