import Foundation

/// Refresh tokens, stored by hash, rotated in families (RFC 9700 §4.14.2).
public protocol RefreshTokenStore: Sendable {
    func insertRefreshToken(_ token: RefreshToken) async throws
    func refreshToken(hash: String) async throws -> RefreshToken?
    /// Rotation (RFC 9700 §4.14.2), atomically and without reading the token first: consumes the
    /// token with `hash` if it belongs to `applicationId` and is usable at `now`, and stores its
    /// next generation, made of `successor` and what it inherits from the consumed row (its scopes
    /// included: ``narrowRefreshTokenScopes(hash:to:)`` narrows them). `.consumed` carries the row
    /// as it was, now consumed; of concurrent callers exactly one gets it. Presenting an already
    /// consumed token revokes its family (`.reused`), the successor stored a moment before
    /// included. A token of another application is `.invalid` and stays as it was.
    func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption
    /// Sets the scopes of the refresh token with `hash` (a successor not yet handed out).
    func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws
    func revokeRefreshFamily(id familyId: String) async throws
    /// Revokes every refresh token of an application (secret regenerated, disabled, deleted).
    func revokeRefreshTokens(applicationId: String) async throws
    /// Revokes every refresh token of a user (disabled, password changed, deleted).
    func revokeRefreshTokens(userId: String) async throws
}

extension RefreshTokenStore where Self: StoreWrapper {
    public func insertRefreshToken(_ token: RefreshToken) async throws { try await base.insertRefreshToken(token) }
    public func refreshToken(hash: String) async throws -> RefreshToken? { try await base.refreshToken(hash: hash) }
    public func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption {
        try await base.rotateRefreshToken(hash: hash, applicationId: applicationId, now: now, successor: successor)
    }
    public func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws {
        try await base.narrowRefreshTokenScopes(hash: hash, to: scopes)
    }
    public func revokeRefreshFamily(id familyId: String) async throws { try await base.revokeRefreshFamily(id: familyId) }
    public func revokeRefreshTokens(applicationId: String) async throws { try await base.revokeRefreshTokens(applicationId: applicationId) }
    public func revokeRefreshTokens(userId: String) async throws { try await base.revokeRefreshTokens(userId: userId) }
}
