import Foundation

/// A key for the admin API. Only the keyed hash of the key is stored.
///
/// `organisationId` is the scope of SPEC §6 (`nil` = an operator key, which manages every
/// organisation). It is stored and shown, but not yet enforced: every key is an operator key until
/// the administrators of the console arrive (docs/admin-api.md).
public struct AdminKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var keyHash: String
    /// The first characters of the key (`ghadm_3xKq`), to tell keys apart without the secret;
    /// `nil` for keys stored before prefixes were kept.
    @AlwaysEncoded public var keyPrefix: String?
    @AlwaysEncoded public var organisationId: String?
    @AlwaysEncoded public var expiresAt: Date?
    @AlwaysEncoded public var lastUsedAt: Date?
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, keyHash: String, keyPrefix: String? = nil, organisationId: String? = nil,
        expiresAt: Date? = nil, lastUsedAt: Date? = nil, disabled: Bool = false, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.keyPrefix = keyPrefix
        self.organisationId = organisationId
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.disabled = disabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Usable at `now`: not disabled and not expired.
    public func isUsable(at now: Date) -> Bool {
        !disabled && (expiresAt.map { now < $0 } ?? true)
    }
}

/// The public shape of an admin key (SPEC §6): every field but the key hash, with `null` for unset
/// optional fields. The key itself appears only in ``IssuedAdminKey``.
extension AdminKey: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, organisationId = "organisation", keyPrefix, expiresAt, lastUsedAt, disabled, createdAt, updatedAt
    }
}
