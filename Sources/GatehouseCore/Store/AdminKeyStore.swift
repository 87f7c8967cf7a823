import Foundation

/// The keys of the admin API.
public protocol AdminKeyStore: Sendable {
    /// Adds `key` unless one with the same hash exists; returns whether it was added.
    func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool
    func adminKey(hash: String) async throws -> AdminKey?
    func adminKey(id: String) async throws -> AdminKey?
    func adminKeys(_ page: PageRequest) async throws -> Page<AdminKey>
    /// Every admin key, usable or not.
    func adminKeyCount() async throws -> Int
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` when the change would
    /// leave no admin key usable at `now` (checked atomically with the change).
    func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` for the last key usable at `now`.
    func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws
    /// Records when admin keys were last used, in one batch (no write per request).
    func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws
}

extension AdminKeyStore where Self: StoreWrapper {
    public func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool {
        try await base.insertAdminKeyIfAbsent(key, audit: audit)
    }
    public func adminKey(hash: String) async throws -> AdminKey? { try await base.adminKey(hash: hash) }
    public func adminKey(id: String) async throws -> AdminKey? { try await base.adminKey(id: id) }
    public func adminKeys(_ page: PageRequest) async throws -> Page<AdminKey> { try await base.adminKeys(page) }
    public func adminKeyCount() async throws -> Int { try await base.adminKeyCount() }
    public func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await base.updateAdminKey(key, keepingOneUsableAt: now, audit: audit)
    }
    public func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await base.deleteAdminKey(id: id, keepingOneUsableAt: now, audit: audit)
    }
    public func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws { try await base.recordAdminKeyUse(lastUsed) }
}
