import Foundation

/// Admin API keys: the first-start bootstrap of SPEC §2, authentication of admin requests, and
/// list, create, change and delete (issue 14 point 8); shared by the admin API and the CLI.
///
/// Admin keys are not cached: every admin request reads its key, so a disabled, expired or
/// deleted key is refused at once on every instance sharing the database. No change may leave
/// the database without a usable key (409 `conflict`; docs/admin-api.md).
public struct AdminKeyManager: Sendable {
    /// How many characters of the key lists show: `ghadm_` and four more.
    public static let prefixLength = 10

    let store: any Store
    let hasher: SecretHasher
    /// Where authenticated keys' last use is noted, to be written in batches (the server's).
    let usage: APIKeyUsage?

    public init(store: any Store, hasher: SecretHasher, usage: APIKeyUsage? = nil) {
        self.store = store
        self.hasher = hasher
        self.usage = usage
    }

    /// What the bootstrap did, so the caller can print a new key once.
    public enum Bootstrap: Equatable, Sendable {
        /// A new key was generated because the database had none: show it to the operator once.
        case generated(String)
        /// The configured key was added.
        case addedConfigured
        /// Nothing to do: the configured key was already there, or admin keys already exist.
        case unchanged
    }

    /// SPEC §2: with `configuredKey` (from `GATEHOUSE_BOOTSTRAP_ADMIN_KEY`) make sure it is an admin
    /// key; without it, create and return one only when the database has no admin key at all.
    /// A configured key that is there but disabled or expired stays so: a restart never undoes a
    /// revocation (a deleted one is added again, as SPEC §2 says).
    public func bootstrap(configuredKey: String?, now: Date) async throws -> Bootstrap {
        let actor = AuditActor(name: "system", ip: nil)
        if let configuredKey {
            guard SecretFormat.isWellFormed(configuredKey, as: .adminKey) else {
                throw ValidationError(
                    field: "GATEHOUSE_BOOTSTRAP_ADMIN_KEY",
                    message: "is not an admin key (generate one with `gatehouse admin generate-key`)"
                )
            }
            return try await add(configuredKey, name: "bootstrap", expiresAt: nil, by: actor, now: now) != nil ? .addedConfigured : .unchanged
        }
        guard try await store.adminKeyCount() == 0 else { return .unchanged }
        let key = SecretFormat.generate(.adminKey)
        _ = try await add(key, name: "bootstrap", expiresAt: nil, by: actor, now: now)
        return .generated(key)
    }

    /// Creates a new admin key; the answer holds the key, this once.
    public func create(_ input: AdminKeyInput, by actor: AuditActor, now: Date) async throws -> IssuedAdminKey {
        let name = try APIKeyRules.validName(input.name)
        let expiresAt = try APIKeyRules.validExpiresAt(input.expiresAt, now: now)
        let key = SecretFormat.generate(.adminKey)
        guard let record = try await add(key, name: name, expiresAt: expiresAt, by: actor, now: now) else {
            throw DomainError.conflict("an admin key with this hash exists")
        }
        return IssuedAdminKey(adminKey: record, key: key)
    }

    /// The admin key with this id; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ id: String) async throws -> AdminKey {
        if let key = try await store.adminKey(id: id) { return key }
        throw DomainError.notFound("admin key '\(id.prefix(100))'")
    }

    public func list(_ page: PageRequest) async throws -> Page<AdminKey> {
        try await store.adminKeys(page)
    }

    /// Applies the patch; a disabled or expired key is refused from the next request on, on every
    /// instance. Refused with ``DomainError/conflict(_:)`` when no other key would stay usable.
    public func update(_ id: String, with patch: AdminKeyPatch, by actor: AuditActor, now: Date) async throws -> AdminKey {
        var key = try await find(id)
        try patch.apply(to: &key, now: now)
        key.updatedAt = now
        let details = ["fields": patch.changedFields.joined(separator: ",")]
        try await store.updateAdminKey(key, keepingOneUsableAt: now, audit: .make("adminkey.update", "adminkey", key.id, by: actor, at: now, details: details))
        return key
    }

    /// Refused with ``DomainError/conflict(_:)`` for the last usable key.
    public func delete(_ id: String, by actor: AuditActor, now: Date) async throws {
        let key = try await find(id)
        try await store.deleteAdminKey(id: key.id, keepingOneUsableAt: now, audit: .make("adminkey.delete", "adminkey", key.id, by: actor, at: now))
    }

    /// The usable admin key `presented` is, or `nil`. Malformed strings are refused before any
    /// database read; a disabled or expired key is `nil` like an unknown one.
    public func authenticate(_ presented: String, now: Date = Date()) async throws -> AdminKey? {
        guard SecretFormat.isWellFormed(presented, as: .adminKey) else { return nil }
        guard let key = try await store.adminKey(hash: hasher.hash(presented)),
              hasher.verify(presented, against: key.keyHash), key.isUsable(at: now)
        else { return nil }
        usage?.record(key.id, at: now)
        return key
    }

    /// What a failed attempt may record of the presented value: the public prefix of a
    /// well-formed admin key, nothing of anything else (it may be a password pasted by mistake).
    public static func loggablePrefix(of presented: String) -> String? {
        SecretFormat.isWellFormed(presented, as: .adminKey) ? String(presented.prefix(prefixLength)) : nil
    }

    private func add(_ key: String, name: String, expiresAt: Date?, by actor: AuditActor, now: Date) async throws -> AdminKey? {
        let record = AdminKey(
            id: UUID().uuidString.lowercased(), name: name, keyHash: hasher.hash(key), keyPrefix: String(key.prefix(Self.prefixLength)),
            expiresAt: expiresAt, createdAt: now
        )
        let added = try await store.insertAdminKeyIfAbsent(record, audit: .make("adminkey.create", "adminkey", record.id, by: actor, at: now))
        return added ? record : nil
    }
}
