import Foundation

/// An admin key together with the key itself, as answered exactly once: on create.
public struct IssuedAdminKey: Sendable {
    public var adminKey: AdminKey
    public var key: String
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
