import Foundation

/// A consumer credential together with its secret (the authentication code or the pass code), as
/// answered exactly once, on create. Only the secret's hash is stored.
public struct IssuedConsumerCredential: Sendable {
    public var credential: ConsumerCredential
    public var secret: String
}

/// Create, find, disable and delete consumer credentials; shared by the admin API and the CLI.
///
/// Authentication codes are generated 256-bit secrets (`ghac_…`), stored as keyed hashes like
/// every other generated secret. Pass codes are 8 generated digits: low-entropy, so they are
/// hashed with the slow ``PasswordHasher`` like passwords.
public struct ConsumerCredentialManager: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let passwords: PasswordHasher

    public init(store: any Store, hasher: SecretHasher, passwords: PasswordHasher) {
        self.store = store
        self.hasher = hasher
        self.passwords = passwords
    }

    /// Creates a credential for the user `input.user` (an id), in the user's organisation.
    /// Throws ``DomainError/conflict(_:)`` for an identifier taken in that organisation.
    public func create(_ input: ConsumerCredentialInput, by actor: AuditActor, now: Date) async throws -> IssuedConsumerCredential {
        let kind = try ConsumerCredentialRules.validKind(input.kind)
        let identifier = try ConsumerCredentialRules.validIdentifier(input.identifier, kind: kind)
        let user = try await UserManager(store: store, passwords: passwords).find(input.user)
        let secret: String
        let secretHash: String
        switch kind {
        case .authenticationCode:
            secret = SecretFormat.generate(.authenticationCode)
            secretHash = hasher.hash(secret)
        case .passCode:
            // Refuse a taken identifier before paying for the KDF; the store's unique index still
            // decides a race.
            if let identifier, try await store.consumerCredential(organisationId: user.organisationId, identifier: identifier) != nil {
                throw DomainError.conflict("the identifier '\(identifier)' is taken in this organisation")
            }
            secret = ConsumerCredentialRules.generatePassCode()
            secretHash = try await passwords.hash(secret)
        }
        let credential = ConsumerCredential(
            id: UUID().uuidString.lowercased(), organisationId: user.organisationId, userId: user.id, kind: kind,
            identifier: identifier, secretHash: secretHash, disabled: false, createdAt: now
        )
        let details = ["kind": kind.rawValue, "user": user.id]
        try await store.insertConsumerCredential(
            credential, audit: .make("consumercredential.create", "consumercredential", credential.id, by: actor, at: now, details: details)
        )
        return IssuedConsumerCredential(credential: credential, secret: secret)
    }

    /// The credential with this id; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ id: String) async throws -> ConsumerCredential {
        if let credential = try await store.consumerCredential(id: id) { return credential }
        throw DomainError.notFound("consumer credential '\(id.prefix(100))'")
    }

    /// A page of credentials, narrowed to one organisation (id or name) and/or one user (id).
    /// An unknown organisation or user is ``DomainError/notFound(_:)``.
    public func list(organisation: String?, user: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential> {
        var organisationId: String?
        if let organisation { organisationId = try await OrganisationManager(store: store).find(organisation).id }
        var userId: String?
        if let user { userId = try await UserManager(store: store, passwords: passwords).find(user).id }
        return try await store.consumerCredentials(organisationId: organisationId, userId: userId, page)
    }

    /// Applies the patch (only `disabled`). A disabled credential can no longer be exchanged;
    /// consumer tokens already issued run out within their two hours.
    public func update(_ id: String, with patch: ConsumerCredentialPatch, by actor: AuditActor, now: Date) async throws -> ConsumerCredential {
        var credential = try await find(id)
        switch patch.disabled {
        case .clear: throw ValidationError(field: "disabled", message: "must not be null")
        case .set(let disabled): credential.disabled = disabled
        case .keep: break
        }
        let details = ["fields": patch.disabled.isKeep ? "" : "disabled"]
        try await store.updateConsumerCredential(
            credential, audit: .make("consumercredential.update", "consumercredential", credential.id, by: actor, at: now, details: details)
        )
        return credential
    }

    public func delete(_ id: String, by actor: AuditActor, now: Date) async throws {
        let credential = try await find(id)
        try await store.deleteConsumerCredential(
            id: credential.id, audit: .make("consumercredential.delete", "consumercredential", credential.id, by: actor, at: now)
        )
    }
}
