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

/// What a rotation adds to the token it consumes to make the next generation: a new id and
/// secret (hash), and when it was made. Everything else (family, user, organisation, scopes,
/// the family's end) is inherited, so a store can derive the successor from the consumed row in
/// the same statement (``Store/rotateRefreshToken(hash:applicationId:now:successor:)``).
public struct RefreshTokenSuccessor: Sendable, Equatable {
    public var id: String
    public var tokenHash: String
    public var createdAt: Date
    /// The successor's own lifetime ends here, or at the family's end if that comes first.
    public var expiresAt: Date

    public init(id: String, tokenHash: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The next generation after `previous`, with `scopes`.
    public func record(after previous: RefreshToken, scopes: [String]) -> RefreshToken {
        RefreshToken(
            id: id, tokenHash: tokenHash, familyId: previous.familyId, generation: previous.generation + 1,
            applicationId: previous.applicationId, userId: previous.userId, organisationId: previous.organisationId,
            scopes: scopes, consumed: false, revoked: false, createdAt: createdAt,
            expiresAt: min(expiresAt, previous.familyExpiresAt), familyExpiresAt: previous.familyExpiresAt
        )
    }
}
