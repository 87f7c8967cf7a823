import Foundation

/// The public shape of an API key (SPEC §6): every field but the key hash, with `null` for unset
/// optional fields. The key itself appears only in ``IssuedAPIKey``.
extension APIKey: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, description, organisation, application, user, scopes, expiresAt, lastUsedAt, disabled
        case keyPrefix, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(organisationId, forKey: .organisation)
        try c.encode(applicationId, forKey: .application)
        try c.encode(userId, forKey: .user)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(lastUsedAt, forKey: .lastUsedAt)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(keyPrefix, forKey: .keyPrefix)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The answer of create: the API key's fields plus the key, this once.
extension IssuedAPIKey: Encodable {
    enum SecretKeys: String, CodingKey { case key }

    public func encode(to encoder: any Encoder) throws {
        try apiKey.encode(to: encoder)
        var c = encoder.container(keyedBy: SecretKeys.self)
        try c.encode(key, forKey: .key)
    }
}
