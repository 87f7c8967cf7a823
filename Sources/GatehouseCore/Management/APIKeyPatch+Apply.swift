import Foundation

extension APIKeyPatch {
    /// Applies the patch to `key` under the same rules as creation; `application` is the key's
    /// owning application (nil for a user's key), whose scopes bound the key's.
    func apply(to key: inout APIKey, application: Application?, now: Date) throws {
        try Self.require(name, CodingKeys.name)
        try Self.require(disabled, CodingKeys.disabled)
        if case .set(let value) = name { key.name = try APIKeyRules.validName(value) }
        key.description = try APIKeyRules.validDescription(description.applied(to: key.description))
        if !scopes.isKeep { key.scopes = try APIKeyRules.validScopes(scopes.applied(to: key.scopes) ?? [], application: application) }
        switch expiresAt {
        case .keep: break
        case .clear: key.expiresAt = nil
        case .set(let value): key.expiresAt = try APIKeyRules.validExpiresAt(value, now: now)
        }
        if case .set(let value) = disabled { key.disabled = value }
    }
}
