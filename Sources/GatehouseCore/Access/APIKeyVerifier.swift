import Foundation
import Synchronization

/// Verifies presented API keys on the hot path: one format check, one keyed hash, and a bounded
/// cache in front of ``Store/apiKey(hash:)`` (ARCHITECTURE.md: "hot paths never touch a KDF or a
/// database when a cache can answer").
///
/// - A string that is not a well-formed `ghak_` key (a typo, a foreign secret) is refused without
///   any database read.
/// - Found keys are cached with their owner (application or user) for `hitLifetime`; unknown
///   well-formed keys are remembered as misses for `missLifetime` (≤ 1 s), so repeating one does
///   not reach the database each time while a new key works within a second. Hits and misses have
///   separate bounds of `capacity` entries each, so a flood of unknown keys never evicts a real one.
/// - Expiry and the `disabled` flags of the key and its owner are checked on every call, cached or
///   not. Concurrent lookups of one uncached key share one database read.
/// - ``invalidate(keyId:)`` and ``invalidateAll()`` drop entries at once. Every committed change
///   is announced to every instance (PostgreSQL LISTEN/NOTIFY; for an embedded SQLite file,
///   written by the CLI say, SQLite's `data_version`, polled every second), which then calls
///   ``invalidateAll()``. `hitLifetime` (60 s) only bounds what nobody announces: a row edited
///   by hand in the database.
public final class APIKeyVerifier: Sendable {
    public static let defaultHitLifetime: TimeInterval = 60
    public static let defaultMissLifetime: TimeInterval = 1

    private struct Cache {
        var hits: BoundedCache<VerifiedAPIKey>
        var misses: BoundedCache<Void>
        /// Database reads under way, by key hash, so concurrent callers share one.
        var loading: [String: Task<VerifiedAPIKey?, any Error>] = [:]
        /// Moves on every invalidation; a read begun before one is not cached.
        var generation = 0
    }

    private let store: any Store
    private let hasher: SecretHasher
    private let hitLifetime: TimeInterval
    private let missLifetime: TimeInterval
    private let cache: Mutex<Cache>
    /// Last-use dates of keys that verified, for the server to flush in batches.
    public let usage = APIKeyUsage()

    public init(
        store: any Store, hasher: SecretHasher, capacity: Int = 20_000,
        hitLifetime: TimeInterval = APIKeyVerifier.defaultHitLifetime, missLifetime: TimeInterval = APIKeyVerifier.defaultMissLifetime
    ) {
        self.store = store
        self.hasher = hasher
        self.hitLifetime = hitLifetime
        self.missLifetime = min(missLifetime, 1)
        let capacity = max(capacity, 1)
        self.cache = Mutex(Cache(hits: BoundedCache(capacity: capacity), misses: BoundedCache(capacity: capacity)))
    }

    /// The key `presented` names if it is usable at `now`, recording the use (see ``usage``); nil
    /// for anything else.
    public func verify(_ presented: String, now: Date) async throws -> APIKey? {
        try await authenticate(presented, now: now)?.key
    }

    /// The key `presented` names, with its owner, if it is usable at `now`, recording the use: for
    /// enforcement, which applies the owning application's policy.
    public func authenticate(_ presented: String, now: Date) async throws -> VerifiedAPIKey? {
        guard let verified = try await inspect(presented, now: now) else { return nil }
        usage.record(verified.key.id, at: now)
        return verified
    }

    /// Like ``authenticate(_:now:)`` without recording a use: for introspection, which looks at a
    /// key without using it.
    public func inspect(_ presented: String, now: Date) async throws -> VerifiedAPIKey? {
        guard SecretFormat.isWellFormed(presented, as: .apiKey) else { return nil }
        let hash = hasher.hash(presented)
        guard let verified = try await lookup(hash, now: now, read: { try await self.read(hash: hash) }), verified.isUsable(at: now) else {
            return nil
        }
        return verified
    }

    /// The key with this id, with its owner, if it is usable at `now`, without recording a use: for
    /// the credentials derived from a key (consumer tokens), which stop when it stops. Cached and
    /// invalidated like the lookups by secret (under `id:<id>`), so a warm check reads no database.
    public func usableKey(id: String, now: Date) async throws -> VerifiedAPIKey? {
        let verified = try await lookup("id:" + id, now: now) { [store] in
            guard let key = try await store.apiKey(id: id) else { return nil }
            return try await self.withOwner(key)
        }
        return verified.flatMap { $0.isUsable(at: now) ? $0 : nil }
    }

    /// Drops the cached entry of one key (after it changed or was deleted).
    public func invalidate(keyId: String) {
        cache.withLock { cache in
            cache.hits.removeAll { $0.key.id == keyId }
            cache.loading = [:]
            cache.generation += 1
        }
    }

    /// Drops every cached entry (after an application or user changed: owners are cached with
    /// their keys).
    public func invalidateAll() {
        cache.withLock { cache in
            cache.hits.removeAll()
            cache.misses.removeAll()
            cache.loading = [:]
            cache.generation += 1
        }
    }

    /// How many keys and misses are cached (for tests and metrics).
    public var cachedCount: (hits: Int, misses: Int) {
        cache.withLock { ($0.hits.count, $0.misses.count) }
    }

    private enum Step {
        case answer(VerifiedAPIKey?)
        case wait(Task<VerifiedAPIKey?, any Error>)
    }

    /// The cached answer for `cacheKey` (a key hash, or `id:<id>`), else `read`'s, shared by
    /// concurrent callers.
    private func lookup(_ cacheKey: String, now: Date, read: @escaping @Sendable () async throws -> VerifiedAPIKey?) async throws -> VerifiedAPIKey? {
        // While the change feed cannot vouch for cached keys, the database answers (or is away).
        guard store.cachesAreTrusted(now: now) else { return try await read() }
        let step = cache.withLock { cache -> Step in
            if let hit = cache.hits.value(cacheKey, now: now, maxAge: hitLifetime) { return .answer(hit) }
            if cache.misses.value(cacheKey, now: now, maxAge: missLifetime) != nil { return .answer(nil) }
            if let task = cache.loading[cacheKey] { return .wait(task) }
            let generation = cache.generation
            let task = Task { try await self.load(cacheKey, generation: generation, now: now, read: read) }
            cache.loading[cacheKey] = task
            return .wait(task)
        }
        switch step {
        case .answer(let answer): return answer
        case .wait(let task): return try await task.value
        }
    }

    /// Reads the key and its owner, and caches the outcome unless an invalidation came in between.
    private func load(
        _ cacheKey: String, generation: Int, now: Date, read: @Sendable () async throws -> VerifiedAPIKey?
    ) async throws -> VerifiedAPIKey? {
        let outcome: Result<VerifiedAPIKey?, any Error>
        do {
            outcome = .success(try await read())
        } catch {
            outcome = .failure(error)
        }
        cache.withLock { cache in
            guard cache.generation == generation else { return }
            cache.loading[cacheKey] = nil
            switch outcome {
            case .success(let verified?): cache.hits.insert(cacheKey, verified, at: now)
            case .success(nil): cache.misses.insert(cacheKey, (), at: now)
            case .failure: break
            }
        }
        return try outcome.get()
    }

    private func read(hash: String) async throws -> VerifiedAPIKey? {
        guard let key = try await store.apiKey(hash: hash) else { return nil }
        return try await withOwner(key)
    }

    /// `key` with its owner; nil when the owner is gone.
    private func withOwner(_ key: APIKey) async throws -> VerifiedAPIKey? {
        var key = key
        if let applicationId = key.applicationId {
            guard let application = try await store.application(id: applicationId) else { return nil }
            key.scopes = key.scopes.filter(application.scopes.contains)
            return VerifiedAPIKey(key: key, application: application)
        }
        if let userId = key.userId, let user = try await store.user(id: userId) {
            return VerifiedAPIKey(key: key, user: user)
        }
        return nil
    }
}
