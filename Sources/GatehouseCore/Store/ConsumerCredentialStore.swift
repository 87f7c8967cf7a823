import Foundation

/// Consumer credentials, for the consumer application key flow (SPEC §1, §4).
public protocol ConsumerCredentialStore: Sendable {
    /// Throws ``DomainError/conflict(_:)`` for a taken identifier, ``DomainError/notFound(_:)`` for an unknown user.
    func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws
    func consumerCredential(id: String) async throws -> ConsumerCredential?
    /// The authentication-code credential with this keyed hash.
    func consumerCredential(secretHash: String) async throws -> ConsumerCredential?
    func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential?
    func consumerCredentials(organisationId: String?, userId: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential>
    /// Throws ``DomainError/notFound(_:)``.
    func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteConsumerCredential(id: String, audit: AuditEvent) async throws
}

extension ConsumerCredentialStore where Self: StoreWrapper {
    public func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await base.insertConsumerCredential(credential, audit: audit)
    }
    public func consumerCredential(id: String) async throws -> ConsumerCredential? { try await base.consumerCredential(id: id) }
    public func consumerCredential(secretHash: String) async throws -> ConsumerCredential? {
        try await base.consumerCredential(secretHash: secretHash)
    }
    public func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential? {
        try await base.consumerCredential(organisationId: organisationId, identifier: identifier)
    }
    public func consumerCredentials(organisationId: String?, userId: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential> {
        try await base.consumerCredentials(organisationId: organisationId, userId: userId, page)
    }
    public func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await base.updateConsumerCredential(credential, audit: audit)
    }
    public func deleteConsumerCredential(id: String, audit: AuditEvent) async throws {
        try await base.deleteConsumerCredential(id: id, audit: audit)
    }
}
