import Foundation

/// Users: an organisation's people and API users.
public protocol UserStore: Sendable {
    /// Throws ``DomainError/conflict(_:)`` when the username is taken in the organisation (or,
    /// for an API user, by any API user).
    func insertUser(_ user: User, audit: AuditEvent) async throws
    func user(id: String) async throws -> User?
    func user(organisationId: String, username: String) async throws -> User?
    /// The API user with this username, in any organisation.
    func apiUser(username: String) async throws -> User?
    func users(organisationId: String?, _ page: PageRequest) async throws -> Page<User>
    /// Throws ``DomainError/notFound(_:)`` or ``DomainError/conflict(_:)``.
    func updateUser(_ user: User, audit: AuditEvent) async throws
    /// Deletes the user and its refresh tokens. Throws ``DomainError/notFound(_:)``.
    func deleteUser(id: String, audit: AuditEvent) async throws
}

extension UserStore where Self: StoreWrapper {
    public func insertUser(_ user: User, audit: AuditEvent) async throws { try await base.insertUser(user, audit: audit) }
    public func user(id: String) async throws -> User? { try await base.user(id: id) }
    public func user(organisationId: String, username: String) async throws -> User? {
        try await base.user(organisationId: organisationId, username: username)
    }
    public func apiUser(username: String) async throws -> User? { try await base.apiUser(username: username) }
    public func users(organisationId: String?, _ page: PageRequest) async throws -> Page<User> {
        try await base.users(organisationId: organisationId, page)
    }
    public func updateUser(_ user: User, audit: AuditEvent) async throws { try await base.updateUser(user, audit: audit) }
    public func deleteUser(id: String, audit: AuditEvent) async throws { try await base.deleteUser(id: id, audit: audit) }
}
