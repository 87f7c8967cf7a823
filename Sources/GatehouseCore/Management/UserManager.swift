import Foundation

/// Create, find, change and delete users; shared by the admin API and the CLI.
///
/// Passwords are validated, then hashed with the slow ``PasswordHasher``; neither the password
/// nor its hash ever leaves this type except into the store.
public struct UserManager: Sendable {
    let store: any Store
    let passwords: PasswordHasher
    /// Called after a user changed or was deleted (the server drops its cached API keys, which
    /// carry their user).
    public var onChange: (@Sendable () -> Void)?

    public init(store: any Store, passwords: PasswordHasher) {
        self.store = store
        self.passwords = passwords
    }

    public func create(_ input: UserInput, by actor: AuditActor, now: Date) async throws -> User {
        let organisation = try await OrganisationManager(store: store).find(input.organisation ?? Organisation.defaultName)
        let username = try UserRules.validUsername(input.username)
        let password = try UserRules.validPassword(input.password)
        let units = try UserRules.validUnits(input.units ?? [])
        let user = User(
            id: UUID().uuidString.lowercased(),
            organisationId: organisation.id,
            username: username,
            passwordHash: try await passwords.hash(password),
            apiUser: input.apiUser ?? false,
            disabled: false,
            units: units,
            createdAt: now,
            updatedAt: now
        )
        try await store.insertUser(user, audit: .make("user.create", "user", user.id, by: actor, at: now))
        return user
    }

    /// The user with this id; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ id: String) async throws -> User {
        if let user = try await store.user(id: id) { return user }
        throw DomainError.notFound("user '\(id.prefix(100))'")
    }

    /// The user with this username in the organisation (id or name; `default` when nil).
    public func find(username: String, organisation: String?) async throws -> User {
        let organisation = try await OrganisationManager(store: store).find(organisation ?? Organisation.defaultName)
        if let user = try await store.user(organisationId: organisation.id, username: username) { return user }
        throw DomainError.notFound("user '\(username.prefix(100))' in organisation '\(organisation.name)'")
    }

    /// A page of users, of one organisation (id or name) or of all.
    public func list(organisation: String?, _ page: PageRequest) async throws -> Page<User> {
        var organisationId: String?
        if let organisation { organisationId = try await OrganisationManager(store: store).find(organisation).id }
        return try await store.users(organisationId: organisationId, page)
    }

    /// Applies the patch; a new password or disabling the user revokes its refresh tokens, so
    /// sessions opened with the old password end.
    public func update(_ id: String, with patch: UserPatch, by actor: AuditActor, now: Date) async throws -> User {
        var user = try await find(id)
        try patch.apply(to: &user)
        var passwordChanged = false
        if case .set(let password) = patch.password {
            user.passwordHash = try await passwords.hash(try UserRules.validPassword(password))
            passwordChanged = true
        }
        user.updatedAt = now
        let details = ["fields": patch.changedFields.joined(separator: ",")]
        try await store.updateUser(user, audit: .make("user.update", "user", user.id, by: actor, at: now, details: details))
        onChange?()
        if passwordChanged || patch.disabled == .set(true) {
            try await store.revokeRefreshTokens(userId: user.id)
        }
        return user
    }

    /// Deletes the user together with its refresh tokens.
    public func delete(_ id: String, by actor: AuditActor, now: Date) async throws {
        let user = try await find(id)
        try await store.deleteUser(id: user.id, audit: .make("user.delete", "user", user.id, by: actor, at: now))
        onChange?()
    }
}
