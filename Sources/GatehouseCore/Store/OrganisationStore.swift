import Foundation

/// Organisations, the tenants every other resource belongs to.
public protocol OrganisationStore: Sendable {
    /// Throws ``DomainError/conflict(_:)`` when the name is taken.
    func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    func organisation(id: String) async throws -> Organisation?
    func organisation(name: String) async throws -> Organisation?
    func organisations(_ page: PageRequest) async throws -> Page<Organisation>
    /// Throws ``DomainError/notFound(_:)`` or ``DomainError/conflict(_:)`` (name taken).
    func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` while it still holds applications.
    func deleteOrganisation(id: String, audit: AuditEvent) async throws
}

extension OrganisationStore where Self: StoreWrapper {
    public func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await base.insertOrganisation(organisation, audit: audit)
    }
    public func organisation(id: String) async throws -> Organisation? { try await base.organisation(id: id) }
    public func organisation(name: String) async throws -> Organisation? { try await base.organisation(name: name) }
    public func organisations(_ page: PageRequest) async throws -> Page<Organisation> { try await base.organisations(page) }
    public func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await base.updateOrganisation(organisation, audit: audit)
    }
    public func deleteOrganisation(id: String, audit: AuditEvent) async throws { try await base.deleteOrganisation(id: id, audit: audit) }
}
