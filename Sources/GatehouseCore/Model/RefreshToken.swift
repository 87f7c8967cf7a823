import Foundation

/// One refresh token of a family (RFC 6749 §6, RFC 9700 §4.14.2): each use consumes it and issues
/// the next generation; presenting a consumed one revokes the whole family.
public struct RefreshToken: Sendable, Equatable {
    public var id: String
    /// Keyed hash of the token; the token itself is never stored.
    public var tokenHash: String
    public var familyId: String
    public var generation: Int
    public var applicationId: String
    /// The resource owner, for tokens issued through the password grant.
    public var userId: String?
    public var organisationId: String
    public var scopes: [String]
    public var consumed: Bool
    public var revoked: Bool
    public var createdAt: Date
    public var expiresAt: Date
    /// The family's absolute end: no rotation extends a family past it.
    public var familyExpiresAt: Date

    public init(
        id: String, tokenHash: String, familyId: String, generation: Int, applicationId: String, userId: String?,
        organisationId: String, scopes: [String], consumed: Bool, revoked: Bool, createdAt: Date, expiresAt: Date,
        familyExpiresAt: Date
    ) {
        self.id = id
        self.tokenHash = tokenHash
        self.familyId = familyId
        self.generation = generation
        self.applicationId = applicationId
        self.userId = userId
        self.organisationId = organisationId
        self.scopes = scopes
        self.consumed = consumed
        self.revoked = revoked
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.familyExpiresAt = familyExpiresAt
    }

    /// Whether the token may still be exchanged at `now` (not consumed, revoked or expired).
    public func isUsable(at now: Date) -> Bool {
        !consumed && !revoked && now < expiresAt && now < familyExpiresAt
    }
}

/// The outcome of presenting a refresh token, decided atomically by the store.
public enum RefreshTokenConsumption: Sendable, Equatable {
    /// The token was usable and is now consumed; exactly one of concurrent presenters gets this.
    case consumed(RefreshToken)
    /// The token had already been consumed: the whole family is now revoked (reuse detection).
    case reused(RefreshToken)
    /// Unknown, revoked or expired.
    case invalid
}
