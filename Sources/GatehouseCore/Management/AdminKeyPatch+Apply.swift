import Foundation

extension AdminKeyPatch {
    /// Applies the patch to `key` under the rules of creation (the name and expiry rules of API keys).
    func apply(to key: inout AdminKey, now: Date) throws {
        try Self.require(name, CodingKeys.name)
        try Self.require(disabled, CodingKeys.disabled)
        if case .set(let value) = name { key.name = try APIKeyRules.validName(value) }
        switch expiresAt {
        case .keep: break
        case .clear: key.expiresAt = nil
        case .set(let value): key.expiresAt = try APIKeyRules.validExpiresAt(value, now: now)
        }
        if case .set(let value) = disabled { key.disabled = value }
    }
}
