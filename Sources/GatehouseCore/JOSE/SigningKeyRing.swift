import Foundation
import Synchronization

/// The signing keys in force: the one active key that signs, and every published key that still
/// verifies. Loaded from the store and reloaded by ``reload()`` (every second by the server, and at
/// once for an unknown `kid`), so a rotation on one instance is in force on all within a second.
public final class SigningKeyRing: Sendable {
    struct State {
        var active: SigningKey
        var verificationKeys: [String: VerificationKey]
        var lastReloadForUnknownKid: Date = .distantPast
    }

    private let store: any Store
    private let masterKey: MasterKey?
    private let state: Mutex<State>
    /// Reloads run one at a time, read and apply together: concurrent reads may finish out of
    /// order (several reader connections), and a read begun before a rotation committed must not
    /// be applied after the rotation's own reload.
    private let reloading = AsyncLock()

    /// The longest any token lives (the largest per-app TTL, 86,400 s) plus a minute of clock skew:
    /// a key rotated out stays published this long.
    public static let publicationAfterRotation: TimeInterval = 86_400 + 60

    /// Loads the keys, generating the first one with `algorithm` when the database has none.
    /// Throws when the active key cannot be decrypted: Gatehouse never falls back to a new key.
    public init(store: any Store, masterKey: MasterKey?, algorithm: SigningAlgorithm, now: Date) async throws {
        self.store = store
        self.masterKey = masterKey
        var keys = try await store.signingKeys()
        // Only a database that never had a key gets one generated; one that lost its active key
        // stops the server (`load` throws) rather than silently starting to sign with a new key.
        if try await store.allSigningKeys().isEmpty {
            let key = try SigningKey.generate(algorithm)
            let stored = try StoredSigningKey(key, state: .active, masterKey: masterKey, createdAt: now)
            do {
                try await store.rotateSigningKey(to: stored, retireAfter: now, audit: .make("signingkey.create", "signingkey", key.kid, by: AuditActor(name: "system", ip: nil), at: now))
            } catch DomainError.conflict {
                // Another instance created the first key at the same moment; use theirs.
            }
            keys = try await store.signingKeys()
        }
        self.state = Mutex(try Self.load(keys, masterKey: masterKey, now: now))
    }

    static func load(_ keys: [StoredSigningKey], masterKey: MasterKey?, now: Date) throws -> State {
        guard let activeRecord = keys.first(where: { $0.state == .active }) else {
            throw StoredSigningKey.Unusable.noActiveKey
        }
        let active = try activeRecord.signingKey(masterKey: masterKey)
        var verificationKeys: [String: VerificationKey] = [:]
        for record in keys where record.state != .retired && (record.retireAfter.map { $0 > now } ?? true) {
            if let key = try? record.signingKey(masterKey: masterKey) {
                verificationKeys[key.kid] = key.verificationKey
            }
        }
        verificationKeys[active.kid] = active.verificationKey
        return State(active: active, verificationKeys: verificationKeys)
    }

    /// The key that signs now.
    public var active: SigningKey { state.withLock { $0.active } }

    /// The published key with this `kid`, if any.
    public func verificationKey(kid: String) -> VerificationKey? {
        state.withLock { $0.verificationKeys[kid] }
    }

    /// Every key to publish in JWKS, active first.
    public var published: [VerificationKey] {
        state.withLock { state in
            [state.active.verificationKey] + state.verificationKeys.values.filter { $0.kid != state.active.kid }.sorted { $0.kid < $1.kid }
        }
    }

    /// Reads the keys again from the store.
    public func reload(now: Date = Date()) async throws {
        try await reloading.withLock {
            let loaded = try Self.load(try await self.store.signingKeys(), masterKey: self.masterKey, now: now)
            self.state.withLock { state in
                state.active = loaded.active
                state.verificationKeys = loaded.verificationKeys
            }
        }
    }

    /// For a `kid` this instance does not know (another instance may just have rotated): reload,
    /// at most once a second, then look again.
    public func verificationKeyReloadingIfUnknown(kid: String, now: Date = Date()) async -> VerificationKey? {
        if let key = verificationKey(kid: kid) { return key }
        let due = state.withLock { state in
            guard now.timeIntervalSince(state.lastReloadForUnknownKid) >= 1 else { return false }
            state.lastReloadForUnknownKid = now
            return true
        }
        guard due else { return nil }
        try? await reload(now: now)
        return verificationKey(kid: kid)
    }

    /// Makes a new key of `algorithm` the active one; the old one stays published for
    /// ``publicationAfterRotation``.
    @discardableResult
    public func rotate(to algorithm: SigningAlgorithm, by actor: AuditActor, now: Date) async throws -> SigningKey {
        let key = try await Self.rotate(store: store, masterKey: masterKey, to: algorithm, by: actor, now: now)
        try await reload(now: now)
        return key
    }

    /// Rotation without a loaded ring (the CLI, or a database that lost its active key).
    @discardableResult
    public static func rotate(store: any Store, masterKey: MasterKey?, to algorithm: SigningAlgorithm, by actor: AuditActor, now: Date) async throws -> SigningKey {
        let key = try SigningKey.generate(algorithm)
        let stored = try StoredSigningKey(key, state: .active, masterKey: masterKey, createdAt: now)
        try await store.rotateSigningKey(
            to: stored, retireAfter: now.addingTimeInterval(publicationAfterRotation),
            audit: .make("signingkey.rotate", "signingkey", key.kid, by: actor, at: now)
        )
        return key
    }
}
