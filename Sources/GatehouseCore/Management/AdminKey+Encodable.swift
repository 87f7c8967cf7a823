import Foundation

/// An admin key together with the key itself, as answered exactly once: on create.
public struct IssuedAdminKey: Sendable {
    public var adminKey: AdminKey
    public var key: String
}

/// The public shape of an admin key (SPEC §6): every field but the key hash, with `null` for unset
/// optional fields. The key itself appears only in ``IssuedAdminKey``.
extension AdminKey: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, organisation, keyPrefix, expiresAt, lastUsedAt, disabled, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(organisationId, forKey: .organisation)
        try c.encode(keyPrefix, forKey: .keyPrefix)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(lastUsedAt, forKey: .lastUsedAt)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The answer of create: the admin key's fields plus the key, this once.
extension IssuedAdminKey: Encodable {
    enum SecretKeys: String, CodingKey { case key }

    public func encode(to encoder: any Encoder) throws {
        try adminKey.encode(to: encoder)
        var c = encoder.container(keyedBy: SecretKeys.self)
        try c.encode(key, forKey: .key)
    }
}
