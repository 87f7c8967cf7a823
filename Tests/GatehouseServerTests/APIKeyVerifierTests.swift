import Foundation
import GatehouseCore
import GatehouseStore
import Testing

/// A real SQLite store behind a call counter, with one application and one user to own keys.
struct VerifierBench: Sendable {
    let store: CountingStore
    let hasher: SecretHasher
    let application: Application
    let user: User
    let now = Date()

    /// Runs `body` over a fresh database; the counter starts at zero.
    static func with(_ body: (VerifierBench) async throws -> Void) async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: quietLogger)
        do {
            let store = CountingStore(database.store)
            try await OrganisationManager(store: store).ensureDefault(now: Date())
            let hasher = try await ServerSecrets.hasher(store: store, masterKey: nil)
            var input = ApplicationInput(name: "shop")
            input.scopes = ["orders:read", "orders:write"]
            let application = try await ApplicationManager(store: store, hasher: hasher).create(input, by: .commandLine, now: Date()).application
            let user = try await UserManager(store: store, passwords: PasswordHasher(rounds: 1000))
                .create(UserInput(username: "alice", password: "password"), by: .commandLine, now: Date())
            store.reset()
            try await body(VerifierBench(store: store, hasher: hasher, application: application, user: user))
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    func verifier(capacity: Int = 10_000, hitLifetime: TimeInterval = 3600) -> APIKeyVerifier {
        APIKeyVerifier(store: store, hasher: hasher, capacity: capacity, hitLifetime: hitLifetime)
    }

    /// A key of the application (or of the user with `ofUser`), created through the manager.
    func createKey(
        _ verifier: APIKeyVerifier?, ofUser: Bool = false, scopes: [String]? = nil, expiresAt: Date? = nil
    ) async throws -> IssuedAPIKey {
        let input = APIKeyInput(
            name: "key", application: ofUser ? nil : application.id, user: ofUser ? user.id : nil, scopes: scopes,
            expiresAt: expiresAt.map { $0.formatted(.iso8601) }
        )
        return try await manager(verifier).create(input, by: .commandLine, now: now)
    }

    func manager(_ verifier: APIKeyVerifier?) -> APIKeyManager {
        APIKeyManager(store: store, hasher: hasher, verifier: verifier)
    }

    /// The managers of applications and users, wired to drop `verifier`'s entries as the server does.
    func applications(invalidating verifier: APIKeyVerifier) -> ApplicationManager {
        var manager = ApplicationManager(store: store, hasher: hasher)
        manager.onChange = { verifier.invalidateAll() }
        return manager
    }

    func users(invalidating verifier: APIKeyVerifier) -> UserManager {
        var manager = UserManager(store: store, passwords: PasswordHasher(rounds: 1000))
        manager.onChange = { verifier.invalidateAll() }
        return manager
    }

    var reads: Int { store.count("apiKey(hash:)") }
}

@Suite("API key verifier: format check, bounded cache, invalidation, batched use")
struct APIKeyVerifierTests {
    @Test("A typo'd, truncated or foreign key is refused without any database read")
    func malformedKeysNeverReachTheStore() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            bench.store.reset()
            let candidates = [
                corrupted(issued.key), String(issued.key.dropLast()), issued.key + "x", issued.key.uppercased(), " " + issued.key,
                "ghak_", "ghak_garbage", "", String(repeating: "a", count: 10_000),
                SecretFormat.generate(.clientSecret), SecretFormat.generate(.refreshToken), SecretFormat.generate(.adminKey),
            ]
            for candidate in candidates {
                #expect(try await verifier.verify(candidate, now: bench.now) == nil, "\(candidate.prefix(60))")
                #expect(try await verifier.inspect(candidate, now: bench.now) == nil)
            }
            #expect(bench.store.all.isEmpty, "\(bench.store.all)")
            #expect(verifier.cachedCount.hits == 0 && verifier.cachedCount.misses == 0)
            // The control: the real key verifies.
            #expect(try await verifier.verify(issued.key, now: bench.now)?.id == issued.apiKey.id)
        }
    }

    @Test("A key is read from the store once, with its owner, and then answered from the cache")
    func hitsAreCached() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            bench.store.reset()
            for offset in 0..<20 {
                let key = try #require(try await verifier.verify(issued.key, now: bench.now.addingTimeInterval(Double(offset))))
                #expect(key.id == issued.apiKey.id)
                #expect(key.scopes == ["orders:read", "orders:write"])
            }
            #expect(bench.store.all == ["apiKey(hash:)": 1, "application(id:)": 1])
            let verified = try #require(try await verifier.inspect(issued.key, now: bench.now))
            #expect(verified.application?.id == bench.application.id)
            #expect(verified.user == nil)
            #expect(verified.subject == bench.application.clientId)
            #expect(verified.clientId == bench.application.clientId)
        }
    }

    @Test("A cached key is read again once it is older than the hit lifetime (changes made elsewhere)")
    func hitsAgeOut() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier(hitLifetime: 5)
            let issued = try await bench.createKey(verifier)
            bench.store.reset()
            #expect(try await verifier.verify(issued.key, now: bench.now) != nil)
            // Another instance (or the CLI) disables the key: this server does not hear of it…
            var disabled = issued.apiKey
            disabled.disabled = true
            try await bench.store.base.updateAPIKey(disabled, audit: .make("apikey.update", "apikey", disabled.id, by: .commandLine, at: bench.now))
            #expect(try await verifier.verify(issued.key, now: bench.now.addingTimeInterval(4.9)) != nil)
            #expect(bench.reads == 1)
            // …until the entry ages out.
            #expect(try await verifier.verify(issued.key, now: bench.now.addingTimeInterval(5)) == nil)
            #expect(bench.reads == 2)
            // A clock that went back does not make an entry young.
            #expect(try await verifier.verify(issued.key, now: bench.now.addingTimeInterval(-10)) == nil)
            #expect(bench.reads == 3)
        }
    }

    @Test("An unknown well-formed key is a cached miss for at most a second, so a new key works within one")
    func missesAreCachedBriefly() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let secret = SecretFormat.generate(.apiKey)
            for offset in [0, 0.1, 0.5, 0.999] {
                #expect(try await verifier.verify(secret, now: bench.now.addingTimeInterval(offset)) == nil)
            }
            #expect(bench.reads == 1)
            #expect(verifier.cachedCount.misses == 1)

            // The key comes into existence (say, created on another instance).
            let key = APIKey(
                id: UUID().uuidString.lowercased(), organisationId: bench.application.organisationId, name: "late",
                description: nil, keyHash: bench.hasher.hash(secret), keyPrefix: String(secret.prefix(9)),
                applicationId: bench.application.id, userId: nil, scopes: [], expiresAt: nil, lastUsedAt: nil, disabled: false,
                createdAt: bench.now, updatedAt: bench.now
            )
            try await bench.store.base.insertAPIKey(key, audit: .make("apikey.create", "apikey", key.id, by: .commandLine, at: bench.now))
            #expect(try await verifier.verify(secret, now: bench.now.addingTimeInterval(0.5)) == nil)
            #expect(try await verifier.verify(secret, now: bench.now.addingTimeInterval(1))?.id == key.id)
            #expect(bench.reads == 2)
        }
    }

    @Test("Expiry is checked on every call, also for a cached key")
    func expiredKeysAreRefused() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let expiry = Date(timeIntervalSince1970: (bench.now.timeIntervalSince1970 + 60).rounded(.down))
            let issued = try await bench.createKey(verifier, expiresAt: expiry)
            #expect(issued.apiKey.expiresAt == expiry)
            bench.store.reset()
            #expect(try await verifier.verify(issued.key, now: bench.now) != nil)
            #expect(try await verifier.verify(issued.key, now: expiry.addingTimeInterval(-0.001)) != nil)
            #expect(try await verifier.verify(issued.key, now: expiry) == nil)
            #expect(try await verifier.verify(issued.key, now: expiry.addingTimeInterval(1000)) == nil)
            #expect(bench.reads == 1, "expiry needs no database read")
        }
    }

    @Test("Disabling a key through the manager refuses it at once; enabling it lets it in again")
    func disabledKeysAreRefused() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            #expect(try await verifier.verify(issued.key, now: bench.now) != nil)
            var patch = APIKeyPatch()
            patch.disabled = .set(true)
            _ = try await bench.manager(verifier).update(issued.apiKey.id, with: patch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(issued.key, now: bench.now) == nil)
            patch.disabled = .set(false)
            _ = try await bench.manager(verifier).update(issued.apiKey.id, with: patch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(issued.key, now: bench.now) != nil)

            // Expiry set through the manager is in force at once too.
            patch = APIKeyPatch()
            patch.expiresAt = .set(bench.now.addingTimeInterval(10).formatted(.iso8601))
            _ = try await bench.manager(verifier).update(issued.apiKey.id, with: patch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(issued.key, now: bench.now.addingTimeInterval(11)) == nil)
        }
    }

    @Test("A key of a disabled or deleted application, or of a disabled or deleted user, is refused at once")
    func disabledOwnersAreRefused() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let applicationKey = try await bench.createKey(verifier)
            let userKey = try await bench.createKey(verifier, ofUser: true)
            #expect(try await verifier.verify(applicationKey.key, now: bench.now) != nil)
            let verifiedUserKey = try #require(try await verifier.inspect(userKey.key, now: bench.now))
            #expect(verifiedUserKey.user?.id == bench.user.id)
            #expect(verifiedUserKey.subject == bench.user.id)
            #expect(verifiedUserKey.clientId == nil)
            #expect(verifiedUserKey.key.scopes == [], "a user's key has no scopes unless given")

            var applicationPatch = ApplicationPatch()
            applicationPatch.disabled = .set(true)
            _ = try await bench.applications(invalidating: verifier).update(bench.application.id, with: applicationPatch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(applicationKey.key, now: bench.now) == nil)
            #expect(try await verifier.verify(userKey.key, now: bench.now) != nil)
            applicationPatch.disabled = .set(false)
            _ = try await bench.applications(invalidating: verifier).update(bench.application.id, with: applicationPatch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(applicationKey.key, now: bench.now) != nil)

            var userPatch = UserPatch()
            userPatch.disabled = .set(true)
            _ = try await bench.users(invalidating: verifier).update(bench.user.id, with: userPatch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(userKey.key, now: bench.now) == nil)
            #expect(try await verifier.verify(applicationKey.key, now: bench.now) != nil)

            try await bench.applications(invalidating: verifier).delete(bench.application.id, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(applicationKey.key, now: bench.now) == nil)
            try await bench.users(invalidating: verifier).delete(bench.user.id, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(userKey.key, now: bench.now) == nil)
        }
    }

    @Test("An application's key holds only scopes its application still has")
    func scopesAreBoundedByTheApplication() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            #expect(try await verifier.verify(issued.key, now: bench.now)?.scopes == ["orders:read", "orders:write"])
            var patch = ApplicationPatch()
            patch.scopes = .set(["orders:read", "invoices:read"])
            _ = try await bench.applications(invalidating: verifier).update(bench.application.id, with: patch, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(issued.key, now: bench.now)?.scopes == ["orders:read"])
            #expect(try await bench.store.apiKey(id: issued.apiKey.id)?.scopes == ["orders:read", "orders:write"], "the stored key is unchanged")
        }
    }

    @Test("Invalidation drops cached entries at once: one key, or all of them")
    func invalidation() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let first = try await bench.createKey(verifier)
            let second = try await bench.createKey(verifier)
            #expect(try await verifier.verify(first.key, now: bench.now) != nil)
            #expect(try await verifier.verify(second.key, now: bench.now) != nil)

            // Changed behind the verifier's back: the cache still answers…
            for issued in [first, second] {
                var disabled = issued.apiKey
                disabled.disabled = true
                try await bench.store.base.updateAPIKey(disabled, audit: .make("apikey.update", "apikey", disabled.id, by: .commandLine, at: bench.now))
            }
            #expect(try await verifier.verify(first.key, now: bench.now) != nil)
            #expect(try await verifier.verify(second.key, now: bench.now) != nil)
            // …until it is told.
            verifier.invalidate(keyId: first.apiKey.id)
            #expect(try await verifier.verify(first.key, now: bench.now) == nil)
            #expect(try await verifier.verify(second.key, now: bench.now) != nil)
            verifier.invalidateAll()
            #expect(try await verifier.verify(second.key, now: bench.now) == nil)

            // Deleting through the manager ends a key at once.
            let third = try await bench.createKey(verifier)
            #expect(try await verifier.verify(third.key, now: bench.now) != nil)
            try await bench.manager(verifier).delete(third.apiKey.id, by: .commandLine, now: bench.now)
            #expect(try await verifier.verify(third.key, now: bench.now) == nil)
        }
    }

    @Test("The cache holds at most `capacity` keys and `capacity` misses, and a flood of misses evicts no key")
    func cacheIsBounded() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier(capacity: 3)
            var keys: [IssuedAPIKey] = []
            for _ in 0..<5 { keys.append(try await bench.createKey(verifier)) }
            bench.store.reset()
            for issued in keys { #expect(try await verifier.verify(issued.key, now: bench.now) != nil) }
            #expect(verifier.cachedCount.hits == 3)
            #expect(bench.reads == 5)
            // The newest three are cached; the oldest were evicted.
            for issued in keys[2...] { #expect(try await verifier.verify(issued.key, now: bench.now) != nil) }
            #expect(bench.reads == 5)
            #expect(try await verifier.verify(keys[0].key, now: bench.now) != nil)
            #expect(bench.reads == 6)
            #expect(verifier.cachedCount.hits == 3)

            for _ in 0..<50 { #expect(try await verifier.verify(SecretFormat.generate(.apiKey), now: bench.now) == nil) }
            #expect(verifier.cachedCount.misses == 3)
            #expect(verifier.cachedCount.hits == 3)
            let readsBefore = bench.reads
            for issued in [keys[0], keys[3], keys[4]] { #expect(try await verifier.verify(issued.key, now: bench.now) != nil) }
            #expect(bench.reads == readsBefore, "cached keys survive a flood of unknown ones")
        }
    }

    @Test("Concurrent lookups of one uncached key share one database read")
    func concurrentLookupsShareOneRead() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            let unknown = SecretFormat.generate(.apiKey)
            bench.store.reset()
            let now = bench.now
            let results = try await withThrowingTaskGroup(of: (String?, String?).self) { group in
                for _ in 0..<50 {
                    group.addTask { (try await verifier.verify(issued.key, now: now)?.id, try await verifier.verify(unknown, now: now)?.id) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 50)
            #expect(results.allSatisfy { $0.0 == issued.apiKey.id && $0.1 == nil })
            #expect(bench.reads == 2)
        }
    }

    @Test("Uses are collected in memory and written in one batch; introspection is not a use")
    func usageIsBatched() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let first = try await bench.createKey(verifier)
            let second = try await bench.createKey(verifier, ofUser: true)
            bench.store.reset()
            for offset in 0..<10 {
                _ = try await verifier.verify(first.key, now: bench.now.addingTimeInterval(Double(offset)))
                _ = try await verifier.verify(second.key, now: bench.now.addingTimeInterval(Double(offset) / 2))
            }
            _ = try await verifier.inspect(first.key, now: bench.now.addingTimeInterval(100))
            _ = try await verifier.verify(corrupted(first.key), now: bench.now.addingTimeInterval(100))
            #expect(bench.store.count("recordAPIKeyUse(_:)") == 0, "no write per request")
            #expect(try await bench.store.apiKey(id: first.apiKey.id)?.lastUsedAt == nil)
            #expect(verifier.usage.pendingUses == [first.apiKey.id: bench.now.addingTimeInterval(9), second.apiKey.id: bench.now.addingTimeInterval(4.5)])

            try await verifier.usage.flush(to: bench.store)
            #expect(bench.store.count("recordAPIKeyUse(_:)") == 1)
            #expect(verifier.usage.pendingUses.isEmpty)
            let stored = try #require(try await bench.store.apiKey(id: first.apiKey.id)?.lastUsedAt)
            #expect(abs(stored.timeIntervalSince(bench.now.addingTimeInterval(9))) < 0.001)
            #expect(try await bench.store.apiKey(id: second.apiKey.id)?.lastUsedAt != nil)

            // Nothing new: no write at all.
            try await verifier.usage.flush(to: bench.store)
            #expect(bench.store.count("recordAPIKeyUse(_:)") == 1)
        }
    }

    @Test("Uses survive a failed flush and are written by the next one")
    func usageSurvivesAFailedFlush() async throws {
        try await VerifierBench.with { bench in
            let usage = APIKeyUsage()
            let issued = try await bench.createKey(nil)
            usage.record(issued.apiKey.id, at: bench.now)
            usage.record(issued.apiKey.id, at: bench.now.addingTimeInterval(-5))
            #expect(usage.pendingUses == [issued.apiKey.id: bench.now])
            bench.store.fail("recordAPIKeyUse(_:)")
            await #expect(throws: CountingStore.Unavailable.self) { try await usage.flush(to: bench.store) }
            #expect(usage.pendingUses == [issued.apiKey.id: bench.now])
            usage.record(issued.apiKey.id, at: bench.now.addingTimeInterval(-1))
            #expect(usage.pendingUses == [issued.apiKey.id: bench.now], "an older use recorded meanwhile does not win")
            bench.store.fail(nil)
            try await usage.flush(to: bench.store)
            #expect(usage.pendingUses.isEmpty)
            #expect(try await bench.store.apiKey(id: issued.apiKey.id)?.lastUsedAt != nil)
        }
    }
}
