import Foundation

/// Admin API keys: the first-start bootstrap of SPEC §2 and authentication of admin requests.
public struct AdminKeyManager: Sendable {
    let store: any Store
    let hasher: SecretHasher

    public init(store: any Store, hasher: SecretHasher) {
        self.store = store
        self.hasher = hasher
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
    public func bootstrap(configuredKey: String?, now: Date) async throws -> Bootstrap {
        let actor = Actor(name: "system", ip: nil)
        if let configuredKey {
            guard SecretFormat.isWellFormed(configuredKey, as: .adminKey) else {
                throw ValidationError(
                    field: "GATEHOUSE_BOOTSTRAP_ADMIN_KEY",
                    message: "is not an admin key (generate one with `gatehouse admin generate-key`)"
                )
            }
            return try await add(configuredKey, name: "bootstrap", by: actor, now: now) ? .addedConfigured : .unchanged
        }
        guard try await store.adminKeyCount() == 0 else { return .unchanged }
        let key = SecretFormat.generate(.adminKey)
        _ = try await add(key, name: "bootstrap", by: actor, now: now)
        return .generated(key)
    }

    /// Creates a new admin key and returns it (shown once).
    public func create(name: String, by actor: Actor, now: Date) async throws -> String {
        let key = SecretFormat.generate(.adminKey)
        _ = try await add(key, name: try ApplicationRules.validText(name, field: "name", maxLength: 200, allowEmpty: false), by: actor, now: now)
        return key
    }

    /// The admin key `presented` is, or `nil`. Malformed strings are refused before any database read.
    public func authenticate(_ presented: String) async throws -> AdminKey? {
        guard SecretFormat.isWellFormed(presented, as: .adminKey) else { return nil }
        guard let key = try await store.adminKey(hash: hasher.hash(presented)) else { return nil }
        return hasher.verify(presented, against: key.keyHash) ? key : nil
    }

    private func add(_ key: String, name: String, by actor: Actor, now: Date) async throws -> Bool {
        let record = AdminKey(id: UUID().uuidString.lowercased(), name: name, keyHash: hasher.hash(key), createdAt: now)
        return try await store.insertAdminKeyIfAbsent(record, audit: .make("adminkey.create", "adminkey", record.id, by: actor, at: now))
    }
}
