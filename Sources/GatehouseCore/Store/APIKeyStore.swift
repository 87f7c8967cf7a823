import Foundation

/// API keys, stored by hash.
public protocol APIKeyStore: Sendable {
    /// Throws ``DomainError/notFound(_:)`` for an unknown organisation, application or user.
    func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws
    func apiKey(id: String) async throws -> APIKey?
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys(organisationId: String?, _ page: PageRequest) async throws -> Page<APIKey>
    /// Throws ``DomainError/notFound(_:)``.
    func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteAPIKey(id: String, audit: AuditEvent) async throws
    /// Records when keys were last used, in one batch (no write per request).
    func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws
}

extension APIKeyStore where Self: StoreWrapper {
    public func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await base.insertAPIKey(key, audit: audit) }
    public func apiKey(id: String) async throws -> APIKey? { try await base.apiKey(id: id) }
    public func apiKey(hash: String) async throws -> APIKey? { try await base.apiKey(hash: hash) }
    public func apiKeys(organisationId: String?, _ page: PageRequest) async throws -> Page<APIKey> {
        try await base.apiKeys(organisationId: organisationId, page)
    }
    public func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await base.updateAPIKey(key, audit: audit) }
    public func deleteAPIKey(id: String, audit: AuditEvent) async throws { try await base.deleteAPIKey(id: id, audit: audit) }
    public func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws { try await base.recordAPIKeyUse(lastUsed) }
}
