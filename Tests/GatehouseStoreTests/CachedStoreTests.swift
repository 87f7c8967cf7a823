import Foundation
import GatehouseCore
@testable import GatehouseStore
import Logging
import SQLKit
import Synchronization
import Testing

extension StoreConformance {
    /// ``CachedStore`` over each real database: cached answers never outlive a change, whether it
    /// went through the cache, came from another instance, or was announced by no one.
    @Suite struct CachedStoreTests {
        @Test(arguments: StoreBackend.all)
        func aChangeThroughTheCacheIsSeenAtOnce(_ backend: StoreBackend) async throws {
            try await backend.withStore { base in
                let cached = CachedStore(base)
                var application = try await Self.insertEnabledApplication(into: base)
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false)
                #expect(try await cached.application(id: application.id)?.disabled == false)
                application.disabled = true
                try await cached.updateApplication(application, audit: Fixture.audit())
                #expect(try await cached.application(clientId: application.clientId)?.disabled == true)
                #expect(try await cached.application(id: application.id)?.disabled == true)

                #expect(try await cached.isAccessTokenRevoked(jti: "jti-1") == false)
                try await cached.revokeAccessToken(jti: "jti-1", expiresAt: Date().addingTimeInterval(600))
                #expect(try await cached.isAccessTokenRevoked(jti: "jti-1"))
                #expect(try await base.isAccessTokenRevoked(jti: "jti-1"), "the revocation is stored, not only cached")

                try await cached.deleteApplication(id: application.id, audit: Fixture.audit())
                #expect(try await cached.application(clientId: application.clientId) == nil)
            }
        }

        @Test(arguments: StoreBackend.all)
        func aChangeByAnotherInstanceIsSeenWithinTwoSeconds(_ backend: StoreBackend) async throws {
            try await Self.withListeningInstances(backend) { cached, first, second, heard in
                var application = try await Self.insertEnabledApplication(into: first)
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false)
                #expect(try await cached.isAccessTokenRevoked(jti: "jti-2") == false)
                try await Task.sleep(for: .milliseconds(300)) // the listener is up

                // The other instance writes; the lifetime (5 s) alone would be too slow to pass.
                application.disabled = true
                try await second.updateApplication(application, audit: Fixture.audit())
                try await second.revokeAccessToken(jti: "jti-2", expiresAt: Date().addingTimeInterval(600))
                let deadline = ContinuousClock.now + .seconds(2.5)
                var seen = (disabled: false, revoked: false)
                while ContinuousClock.now < deadline, !(seen.disabled && seen.revoked) {
                    seen.disabled = try await cached.application(clientId: application.clientId)?.disabled == true
                    seen.revoked = try await cached.isAccessTokenRevoked(jti: "jti-2")
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(seen.disabled, "the other instance's disabling reached this cache")
                #expect(seen.revoked, "the other instance's revocation reached this cache")
                #expect(!heard.all.isEmpty, "the handler still hears the change")
            }
        }

        /// A throttle lock (SPEC §7) reaches every instance on PostgreSQL and drops no cache; SQLite
        /// has one instance, so announcing is a no-op there.
        @Test(arguments: StoreBackend.all)
        func anAnnouncedLockReachesTheOtherInstanceAndKeepsTheCaches(_ backend: StoreBackend) async throws {
            try await Self.withListeningInstances(backend) { cached, first, second, heard in
                try await Task.sleep(for: .milliseconds(300)) // the listener is up
                let application = try await Self.insertEnabledApplication(into: first)
                // The insert's own two announcements (organisation, application) have arrived, and
                // dropped the caches, before the application is cached.
                let arrival = ContinuousClock.now + .seconds(2)
                while backend == .postgres, ContinuousClock.now < arrival, heard.all.count < 2 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await cached.application(clientId: application.clientId)?.name == application.name)
                // Renamed with no announcement: the cache goes on answering the old name unless
                // something drops it.
                try await first.executor.withDatabase { database in
                    try await database.raw("UPDATE applications SET name = 'renamed' WHERE id = \(bind: application.id)").run()
                }
                let lock = ThrottleLock(key: "ip:192.0.2.7", until: Date(timeIntervalSince1970: 1_900_000_000))
                try await second.announce(lock.payload)
                let deadline = ContinuousClock.now + .seconds(2)
                while backend == .postgres, ContinuousClock.now < deadline, !heard.all.contains(lock.payload) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(heard.all.compactMap { ThrottleLock(payload: $0) } == (backend == .postgres ? [lock] : []))
                #expect(try await cached.application(clientId: application.clientId)?.name == application.name, "the lock dropped no cache")
            }
        }

        @Test(arguments: StoreBackend.all)
        func anUnannouncedChangeIsSeenAfterTheLifetime(_ backend: StoreBackend) async throws {
            try await backend.withStore { base in
                let now = Mutex(Date())
                let cached = CachedStore(base, lifetime: 5, trust: ChangeFeedTrust(needsVouching: false), clock: { now.withLock { $0 } })
                var application = try await Self.insertEnabledApplication(into: base)
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false)
                application.disabled = true
                try await base.updateApplication(application, audit: Fixture.audit()) // behind the cache's back
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false, "still believed")
                now.withLock { $0 += 5.5 }
                #expect(try await cached.application(clientId: application.clientId)?.disabled == true, "read again after 5 s")
            }
        }

        /// SPEC §2: a cache answers only while the change feed vouches for it; otherwise the
        /// database answers, so a change nobody announced is seen at once.
        @Test(arguments: StoreBackend.all)
        func aCacheTheChangeFeedCannotVouchForIsNotBelieved(_ backend: StoreBackend) async throws {
            try await backend.withStore { base in
                let now = Mutex(Date())
                let trust = ChangeFeedTrust(needsVouching: true, staleness: 2)
                let cached = CachedStore(base, trust: trust, clock: { now.withLock { $0 } })
                var application = try await Self.insertEnabledApplication(into: base)
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false)
                application.disabled = true
                try await base.updateApplication(application, audit: Fixture.audit()) // behind the cache's back
                #expect(try await cached.application(clientId: application.clientId)?.disabled == true, "never vouched: read through")

                trust.vouch(upTo: now.withLock { $0 })
                #expect(try await cached.application(clientId: application.clientId)?.disabled == true)
                application.disabled = false
                try await base.updateApplication(application, audit: Fixture.audit())
                #expect(try await cached.application(clientId: application.clientId)?.disabled == true, "vouched: the cache answers")

                now.withLock { $0 += 2.5 }
                #expect(try await cached.application(clientId: application.clientId)?.disabled == false, "the vouch is stale: read through")
                #expect(!cached.cachesAreTrusted(now: now.withLock { $0 }))
            }
        }

        /// On PostgreSQL the listener's own beats vouch for the caches within a second of listening;
        /// SQLite needs no vouching.
        @Test(arguments: StoreBackend.all)
        func theListenersBeatsVouchForTheCaches(_ backend: StoreBackend) async throws {
            try await Self.withListeningInstances(backend) { cached, _, _, heard in
                let deadline = ContinuousClock.now + .seconds(3)
                while ContinuousClock.now < deadline, !cached.cachesAreTrusted(now: Date()) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(cached.cachesAreTrusted(now: Date()))
                #expect(cached.trust.needsVouching == (backend == .postgres))
                #expect(heard.all.allSatisfy { !$0.hasPrefix("beat ") && !$0.hasPrefix("vouched ") }, "beats are not changes")
            }
        }

        /// Two instances on one fresh `backend` database: `first` behind a ``CachedStore`` whose change
        /// listener records what it hears, `second` bare. Both are closed after `body`.
        static func withListeningInstances(
            _ backend: StoreBackend, _ body: (_ cached: CachedStore, _ first: SQLStore, _ second: SQLStore, _ heard: Heard) async throws -> Void
        ) async throws {
            let url = try await backend.freshURL()
            let first = try await Database.open(url, logger: Logger(label: "test"))
            let second = try await Database.open(url, logger: Logger(label: "test"))
            let cached = CachedStore(first.store)
            let heard = Heard()
            let listener = Task { try await cached.listenForChanges { heard.append($0) } }
            do {
                try await body(cached, first.store, second.store, heard)
            } catch {
                Issue.record(error)
            }
            listener.cancel()
            _ = await listener.result
            try await second.close()
            try await first.close()
        }

        /// The payloads a change listener heard, in order.
        final class Heard: Sendable {
            private let payloads = Mutex<[String]>([])
            func append(_ payload: String) { payloads.withLock { $0.append(payload) } }
            var all: [String] { payloads.withLock { $0 } }
        }

        static func insertEnabledApplication(into store: any Store) async throws -> Application {
            let organisation = Fixture.organisation()
            try await store.insertOrganisation(organisation, audit: Fixture.audit())
            var application = Fixture.application(in: organisation)
            application.disabled = false
            try await store.insertApplication(application, audit: Fixture.audit())
            return application
        }
    }
}
