import Foundation

/// A named, long-lived secret sent with each request (SPEC §1), owned by an application (whose
/// policy it inherits) or by a user. The key itself is shown once; only its keyed hash is kept.
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var name: String
    @AlwaysEncoded public var description: String?
    public var keyHash: String
    /// The first characters of the key (`ghak_3xKq`), to tell keys apart in lists without the secret.
    public var keyPrefix: String
    @AlwaysEncoded public var applicationId: String?
    @AlwaysEncoded public var userId: String?
    public var scopes: [String]
    @AlwaysEncoded public var expiresAt: Date?
    @AlwaysEncoded public var lastUsedAt: Date?
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, organisationId: String, name: String, description: String?, keyHash: String, keyPrefix: String,
        applicationId: String?, userId: String?, scopes: [String], expiresAt: Date?, lastUsedAt: Date?, disabled: Bool,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.description = description
        self.keyHash = keyHash
        self.keyPrefix = keyPrefix
        self.applicationId = applicationId
        self.userId = userId
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.disabled = disabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Usable at `now`: not disabled and not expired.
    public func isUsable(at now: Date) -> Bool {
        !disabled && (expiresAt.map { now < $0 } ?? true)
    }
}

/// The public shape of an API key (SPEC §6): every field but the key hash, with `null` for unset
/// optional fields. The key itself appears only in ``IssuedAPIKey``.
extension APIKey: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, description, organisationId = "organisation", applicationId = "application", userId = "user"
        case scopes, expiresAt, lastUsedAt, disabled, keyPrefix, createdAt, updatedAt
    }
}
