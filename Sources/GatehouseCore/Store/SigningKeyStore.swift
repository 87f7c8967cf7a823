import Foundation

/// The keys that sign access tokens (their private parts sealed under the master key when there is one).
public protocol SigningKeyStore: Sendable {
    /// Every key not yet retired, newest first.
    func signingKeys() async throws -> [StoredSigningKey]
    /// All keys including retired ones, newest first (for the admin list).
    func allSigningKeys() async throws -> [StoredSigningKey]
    /// Makes `key` the active key; the previously active key becomes published until `retireAfter`.
    func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws
}

extension SigningKeyStore where Self: StoreWrapper {
    public func signingKeys() async throws -> [StoredSigningKey] { try await base.signingKeys() }
    public func allSigningKeys() async throws -> [StoredSigningKey] { try await base.allSigningKeys() }
    public func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws {
        try await base.rotateSigningKey(to: key, retireAfter: retireAfter, audit: audit)
    }
}
