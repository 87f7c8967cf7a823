import Foundation

/// Applications (OAuth clients).
public protocol ApplicationStore: Sendable {
    /// Checks the organisation's `maxApplications` atomically with the insert: throws
    /// ``DomainError/quotaExceeded(_:)`` past it, ``DomainError/notFound(_:)`` for no organisation.
    func insertApplication(_ application: Application, audit: AuditEvent) async throws
    func application(id: String) async throws -> Application?
    func application(clientId: String) async throws -> Application?
    func applications(organisationId: String?, _ page: PageRequest) async throws -> Page<Application>
    /// Throws ``DomainError/notFound(_:)``.
    func updateApplication(_ application: Application, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteApplication(id: String, audit: AuditEvent) async throws
}

extension ApplicationStore where Self: StoreWrapper {
    public func insertApplication(_ application: Application, audit: AuditEvent) async throws {
        try await base.insertApplication(application, audit: audit)
    }
    public func application(id: String) async throws -> Application? { try await base.application(id: id) }
    public func application(clientId: String) async throws -> Application? { try await base.application(clientId: clientId) }
    public func applications(organisationId: String?, _ page: PageRequest) async throws -> Page<Application> {
        try await base.applications(organisationId: organisationId, page)
    }
    public func updateApplication(_ application: Application, audit: AuditEvent) async throws {
        try await base.updateApplication(application, audit: audit)
    }
    public func deleteApplication(id: String, audit: AuditEvent) async throws { try await base.deleteApplication(id: id, audit: audit) }
}
