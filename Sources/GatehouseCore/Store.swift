import Foundation

/// Everything the domain needs from storage. One implementation per database (SQLite, PostgreSQL),
/// all held to one conformance test suite.
///
/// Every change takes the ``AuditEvent`` that records it, and a store writes both in one
/// transaction: a change without its audit entry cannot happen.
public protocol Store: Sendable {
    /// Succeeds when the database answers a trivial query.
    func ping() async throws

    // MARK: Server settings

    /// Stores `value` under `name` unless a value is already there; returns the stored value.
    func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data

    // MARK: Organisations

    /// Throws ``DomainError/conflict(_:)`` when the name is taken.
    func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    func organisation(id: String) async throws -> Organisation?
    func organisation(name: String) async throws -> Organisation?
    func organisations(_ page: PageRequest) async throws -> Page<Organisation>
    /// Throws ``DomainError/notFound(_:)`` or ``DomainError/conflict(_:)`` (name taken).
    func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` while it still holds applications.
    func deleteOrganisation(id: String, audit: AuditEvent) async throws

    // MARK: Applications

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

    // MARK: Admin keys

    /// Adds `key` unless one with the same hash exists; returns whether it was added.
    func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool
    func adminKey(hash: String) async throws -> AdminKey?
    func adminKeyCount() async throws -> Int

    // MARK: Audit log

    func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent>
}
