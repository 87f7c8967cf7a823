import Foundation

/// An API key together with the key itself, as answered exactly once: on create. The key is
/// never stored; only its keyed hash is.
public struct IssuedAPIKey: Sendable {
    public var apiKey: APIKey
    public var key: String
}

/// Create, find, change and delete API keys; shared by the admin API and the CLI.
///
/// A key belongs to one owner, an application or a user, and to the owner's organisation. With a
/// ``APIKeyVerifier`` (the server's), every change drops the key from its cache at once.
public struct APIKeyManager: Sendable {
    /// How many characters of the key lists show: `ghak_` and four more.
    public static let prefixLength = 9

    let store: any Store
    let hasher: SecretHasher
    let verifier: APIKeyVerifier?

    public init(store: any Store, hasher: SecretHasher, verifier: APIKeyVerifier? = nil) {
        self.store = store
        self.hasher = hasher
        self.verifier = verifier
    }

    public func create(_ input: APIKeyInput, by actor: AuditActor, now: Date) async throws -> IssuedAPIKey {
        try APIKeyRules.requireOneOwner(application: input.application, user: input.user)
        let name = try APIKeyRules.validName(input.name)
        let description = try APIKeyRules.validDescription(input.description)
        let expiresAt = try APIKeyRules.validExpiresAt(input.expiresAt, now: now)
        var application: Application?
        var user: User?
        if let owner = input.application {
            application = try await ApplicationManager(store: store, hasher: hasher).find(owner)
        } else if let owner = input.user {
            user = try await store.user(id: owner)
            guard user != nil else { throw DomainError.notFound("user '\(owner.prefix(100))'") }
        }
        guard let organisationId = application?.organisationId ?? user?.organisationId else {
            preconditionFailure("an owner was required above")
        }
        let scopes = try APIKeyRules.validScopes(input.scopes ?? application?.scopes ?? [], application: application)
        let key = SecretFormat.generate(.apiKey)
        let apiKey = APIKey(
            id: UUID().uuidString.lowercased(),
            organisationId: organisationId,
            name: name,
            description: description,
            keyHash: hasher.hash(key),
            keyPrefix: String(key.prefix(Self.prefixLength)),
            applicationId: application?.id,
            userId: user?.id,
            scopes: scopes,
            expiresAt: expiresAt,
            lastUsedAt: nil,
            disabled: false,
            createdAt: now,
            updatedAt: now
        )
        try await store.insertAPIKey(apiKey, audit: .make("apikey.create", "apikey", apiKey.id, by: actor, at: now))
        return IssuedAPIKey(apiKey: apiKey, key: key)
    }

    /// The API key with this id; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ id: String) async throws -> APIKey {
        if let key = try await store.apiKey(id: id) { return key }
        throw DomainError.notFound("API key '\(id.prefix(100))'")
    }

    /// A page of API keys, of one organisation (id or name) or of all.
    public func list(organisation: String?, _ page: PageRequest) async throws -> Page<APIKey> {
        var organisationId: String?
        if let organisation { organisationId = try await OrganisationManager(store: store).find(organisation).id }
        return try await store.apiKeys(organisationId: organisationId, page)
    }

    /// Applies the patch; a disabled, expired or re-scoped key is in force at once on this server.
    public func update(_ id: String, with patch: APIKeyPatch, by actor: AuditActor, now: Date) async throws -> APIKey {
        var key = try await find(id)
        var application: Application?
        if !patch.scopes.isKeep, let applicationId = key.applicationId {
            application = try await store.application(id: applicationId)
            guard application != nil else { throw DomainError.notFound("application '\(applicationId)'") }
        }
        try patch.apply(to: &key, application: application, now: now)
        key.updatedAt = now
        let details = ["fields": patch.changedFields.joined(separator: ",")]
        try await store.updateAPIKey(key, audit: .make("apikey.update", "apikey", key.id, by: actor, at: now, details: details))
        verifier?.invalidate(keyId: key.id)
        return key
    }

    public func delete(_ id: String, by actor: AuditActor, now: Date) async throws {
        let key = try await find(id)
        try await store.deleteAPIKey(id: key.id, audit: .make("apikey.delete", "apikey", key.id, by: actor, at: now))
        verifier?.invalidate(keyId: key.id)
    }
}
