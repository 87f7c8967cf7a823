import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    @Suite struct TokenStoreTests {
        static func refreshToken(family: String = UUID().uuidString, generation: Int = 1, expiresIn: TimeInterval = 3600) -> RefreshToken {
            RefreshToken(
                id: UUID().uuidString, tokenHash: UUID().uuidString, familyId: family, generation: generation,
                applicationId: "app", userId: "user", organisationId: "org", scopes: ["a", "b"], consumed: false, revoked: false,
                createdAt: Fixture.now, expiresAt: Fixture.now.addingTimeInterval(expiresIn), familyExpiresAt: Fixture.now.addingTimeInterval(7200)
            )
        }

        @Test(arguments: StoreBackend.all)
        func aRefreshTokenRoundTripsAndIsConsumedOnce(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let token = Self.refreshToken()
                try await store.insertRefreshToken(token)
                #expect(try await store.refreshToken(hash: token.tokenHash) == token)
                var consumed = token
                consumed.consumed = true
                #expect(try await store.consumeRefreshToken(hash: token.tokenHash, now: Fixture.now) == .consumed(consumed))
                #expect(try await store.consumeRefreshToken(hash: "unknown", now: Fixture.now) == .invalid)
            }
        }

        @Test(arguments: StoreBackend.all)
        func ofConcurrentConsumesExactlyOneWins(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let token = Self.refreshToken()
                try await store.insertRefreshToken(token)
                let outcomes = try await withThrowingTaskGroup(of: RefreshTokenConsumption.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await store.consumeRefreshToken(hash: token.tokenHash, now: Fixture.now) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let wins = outcomes.filter { if case .consumed = $0 { true } else { false } }
                #expect(wins.count == 1)
                #expect(outcomes.count == 10)
            }
        }

        @Test(arguments: StoreBackend.all)
        func reusingAConsumedTokenRevokesItsWholeFamily(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = Self.refreshToken()
                let second = Self.refreshToken(family: first.familyId, generation: 2)
                let stranger = Self.refreshToken()
                for token in [first, second, stranger] { try await store.insertRefreshToken(token) }
                _ = try await store.consumeRefreshToken(hash: first.tokenHash, now: Fixture.now)
                guard case .reused = try await store.consumeRefreshToken(hash: first.tokenHash, now: Fixture.now) else {
                    Issue.record("a second use must be reported as reuse")
                    return
                }
                #expect(try await store.consumeRefreshToken(hash: second.tokenHash, now: Fixture.now) == .invalid)
                #expect(try await store.refreshToken(hash: stranger.tokenHash)?.revoked == false)
            }
        }

        @Test(arguments: StoreBackend.all)
        func expiredTokensCannotBeConsumed(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let token = Self.refreshToken(expiresIn: 60)
                try await store.insertRefreshToken(token)
                let result = try await store.consumeRefreshToken(hash: token.tokenHash, now: Fixture.now.addingTimeInterval(61))
                #expect(result == .invalid)
            }
        }

        @Test(arguments: StoreBackend.all)
        func revokingByApplicationOrUserReachesEveryFamily(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                var other = Self.refreshToken()
                other.applicationId = "other-app"
                other.userId = "other-user"
                let mine = Self.refreshToken()
                try await store.insertRefreshToken(mine)
                try await store.insertRefreshToken(other)
                try await store.revokeRefreshTokens(applicationId: "app")
                #expect(try await store.refreshToken(hash: mine.tokenHash)?.revoked == true)
                #expect(try await store.refreshToken(hash: other.tokenHash)?.revoked == false)
                try await store.revokeRefreshTokens(userId: "other-user")
                #expect(try await store.refreshToken(hash: other.tokenHash)?.revoked == true)
            }
        }

        @Test(arguments: StoreBackend.all)
        func revokedAccessTokensAreRememberedUntilTheyExpireThenPruned(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                try await store.revokeAccessToken(jti: "j1", expiresAt: Fixture.now.addingTimeInterval(60))
                try await store.revokeAccessToken(jti: "j1", expiresAt: Fixture.now.addingTimeInterval(60))
                #expect(try await store.isAccessTokenRevoked(jti: "j1"))
                #expect(try await store.isAccessTokenRevoked(jti: "j2") == false)
                let expiring = Self.refreshToken(expiresIn: 30)
                let lasting = Self.refreshToken(expiresIn: 3600)
                try await store.insertRefreshToken(expiring)
                try await store.insertRefreshToken(lasting)
                let removed = try await store.prune(now: Fixture.now.addingTimeInterval(120))
                #expect(removed == 2)
                #expect(try await store.isAccessTokenRevoked(jti: "j1") == false)
                #expect(try await store.refreshToken(hash: expiring.tokenHash) == nil)
                #expect(try await store.refreshToken(hash: lasting.tokenHash) != nil)
            }
        }

        @Test(arguments: StoreBackend.all)
        func rotationKeepsOneActiveKeyAndRetiresThePublishedOneWhenDue(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                func key(_ kid: String, _ offset: TimeInterval) -> StoredSigningKey {
                    StoredSigningKey(kid: kid, algorithm: .es256, state: .active, privateKey: "plain:AA==", createdAt: Fixture.now.addingTimeInterval(offset), retireAfter: nil)
                }
                try await store.rotateSigningKey(to: key("k1", 0), retireAfter: Fixture.now, audit: Fixture.audit())
                try await store.rotateSigningKey(to: key("k2", 1), retireAfter: Fixture.now.addingTimeInterval(100), audit: Fixture.audit())
                let keys = try await store.signingKeys()
                #expect(keys.map(\.kid) == ["k2", "k1"])
                #expect(keys.map(\.state) == [.active, .published])
                #expect(keys[1].retireAfter == Fixture.now.addingTimeInterval(100))
                #expect(try await store.prune(now: Fixture.now.addingTimeInterval(50)) == 0)
                #expect(try await store.prune(now: Fixture.now.addingTimeInterval(101)) == 1)
                #expect(try await store.signingKeys().map(\.kid) == ["k2"])
                #expect(try await store.allSigningKeys().map(\.state) == [.active, .retired])
            }
        }
    }
}

/// Rotation: consuming a token stores its successor in the same step (RFC 9700 §4.14.2).
extension StoreConformance.TokenStoreTests {
    @Test(arguments: StoreBackend.all)
    func aTokenThatIsNotUsableIsNotConsumedAndGetsNoSuccessor(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let expired = Self.refreshToken(expiresIn: 60)
            var revoked = Self.refreshToken()
            revoked.revoked = true
            var familyOver = Self.refreshToken(expiresIn: 600)
            familyOver.familyExpiresAt = Fixture.now.addingTimeInterval(300)
            let now = Fixture.now.addingTimeInterval(400)
            for token in [expired, revoked, familyOver] {
                try await store.insertRefreshToken(token)
                let next = Self.successor(at: now)
                #expect(try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: now, successor: next) == .invalid)
                #expect(try await store.refreshToken(hash: token.tokenHash) == token)
                #expect(try await store.refreshToken(hash: next.tokenHash) == nil)
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func aReplacementIsUsableAsSoonAsItsRotationAnswers(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        var current = Self.refreshToken()
                        try await store.insertRefreshToken(current)
                        var failures = 0
                        for _ in 0..<15 {
                            let successor = Self.successor()
                            let next = successor.record(after: current, scopes: current.scopes)
                            guard case .consumed = try await store.rotateRefreshToken(
                                hash: current.tokenHash, applicationId: "app", now: Fixture.now, successor: successor
                            ), try await store.refreshToken(hash: next.tokenHash) == next
                            else { failures += 1; break }
                            current = next
                        }
                        return failures
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(failures == 0)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aTokenJoiningARevokedFamilyIsBornRevoked(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = Self.refreshToken()
            try await store.insertRefreshToken(first)
            try await store.revokeRefreshFamily(id: first.familyId)
            let next = Self.refreshToken(family: first.familyId, generation: 2)
            try await store.insertRefreshToken(next)
            #expect(try await store.refreshToken(hash: next.tokenHash)?.revoked == true)
            let unrelated = Self.refreshToken()
            try await store.insertRefreshToken(unrelated)
            #expect(try await store.refreshToken(hash: unrelated.tokenHash)?.revoked == false)
        }
    }
}

extension Store {
    /// Consuming alone, for the tests above: a rotation of one of their tokens (all of application
    /// "app") whose successor no one looks at.
    func consumeRefreshToken(hash: String, now: Date) async throws -> RefreshTokenConsumption {
        try await rotateRefreshToken(hash: hash, applicationId: "app", now: now, successor: StoreConformance.TokenStoreTests.successor(at: now))
    }
}
