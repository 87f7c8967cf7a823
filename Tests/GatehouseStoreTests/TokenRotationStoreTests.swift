import Foundation
import GatehouseCore
@testable import GatehouseStore
import SQLKit
import Testing

/// `rotateRefreshToken`: the token endpoint's rotation in one statement, the successor derived
/// from the consumed row (RFC 9700 §4.14.2).
extension StoreConformance.TokenStoreTests {
    static func successor(at now: Date = Fixture.now, lifetime: TimeInterval = 3600) -> RefreshTokenSuccessor {
        RefreshTokenSuccessor(id: UUID().uuidString, tokenHash: UUID().uuidString, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
    }

    @Test(arguments: StoreBackend.all)
    func rotationStoresTheSuccessorTheRowImplies(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            // The successor would outlive the family: it ends with the family instead.
            let successor = Self.successor(lifetime: 10_000)
            var consumed = token
            consumed.consumed = true
            #expect(try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: successor)
                == .consumed(consumed))
            #expect(try await store.refreshToken(hash: token.tokenHash) == consumed)
            let expected = successor.record(after: token, scopes: token.scopes)
            #expect(expected.expiresAt == token.familyExpiresAt)
            #expect(try await store.refreshToken(hash: successor.tokenHash) == expected)
            // The successor rotates in turn; a shorter lifetime is kept as it is.
            let third = Self.successor(lifetime: 60)
            guard case .consumed = try await store.rotateRefreshToken(
                hash: successor.tokenHash, applicationId: "app", now: Fixture.now, successor: third
            ) else {
                Issue.record("the successor must rotate")
                return
            }
            #expect(try await store.refreshToken(hash: third.tokenHash) == third.record(after: expected, scopes: token.scopes))
        }
    }

    /// A newer instance's migration may add a column while an older one runs: the rotation,
    /// prepared on the older one's PostgreSQL connections, must go on working.
    @Test(arguments: StoreBackend.all)
    func rotationKeepsWorkingWhenTheTableGainsAColumn(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            for round in 0..<6 {
                if round == 3 {
                    try await store.executor.withDatabase { sql in
                        try await sql.raw("ALTER TABLE refresh_tokens ADD COLUMN added_later INTEGER").run()
                    }
                }
                let successor = Self.successor()
                guard case .consumed = try await store.rotateRefreshToken(
                    hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: successor
                ) else {
                    Issue.record("rotation \(round) did not consume the token")
                    return
                }
                token = successor.record(after: token, scopes: token.scopes)
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func anotherApplicationsTokenIsInvalidAndLeftAlone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            let successor = Self.successor()
            #expect(try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "other", now: Fixture.now, successor: successor)
                == .invalid)
            #expect(try await store.refreshToken(hash: token.tokenHash) == token)
            #expect(try await store.refreshToken(hash: successor.tokenHash) == nil)
            // Nor does another application set off the family's revocation with a used token.
            _ = try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: Self.successor())
            #expect(try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "other", now: Fixture.now, successor: Self.successor())
                == .invalid)
            #expect(try await store.refreshToken(hash: token.tokenHash)?.revoked == false)
        }
    }

    @Test(arguments: StoreBackend.all)
    func rotatingAUsedTokenRevokesTheFamilyWithItsSuccessor(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            let successor = Self.successor()
            _ = try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: successor)
            let again = Self.successor()
            guard case .reused = try await store.rotateRefreshToken(
                hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: again
            ) else {
                Issue.record("a second use must be reported as reuse")
                return
            }
            #expect(try await store.refreshToken(hash: again.tokenHash) == nil)
            #expect(try await store.refreshToken(hash: successor.tokenHash)?.revoked == true)
            #expect(try await store.rotateRefreshToken(hash: successor.tokenHash, applicationId: "app", now: Fixture.now, successor: Self.successor())
                == .invalid)
        }
    }

    @Test(arguments: StoreBackend.all)
    func unknownTokensDoNotRotate(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertRefreshToken(Self.refreshToken())
            let successor = Self.successor()
            #expect(try await store.rotateRefreshToken(hash: "unknown", applicationId: "app", now: Fixture.now, successor: successor) == .invalid)
            #expect(try await store.refreshToken(hash: successor.tokenHash) == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func ofConcurrentRotationsExactlyOneWins(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            let successors = (0..<10).map { _ in Self.successor() }
            let outcomes = try await withThrowingTaskGroup(of: RefreshTokenConsumption.self) { group in
                for successor in successors {
                    group.addTask {
                        try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: successor)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .consumed = $0 { true } else { false } }.count == 1)
            #expect(outcomes.contains { if case .reused = $0 { true } else { false } })
            var stored: [RefreshToken] = []
            for successor in successors {
                if let row = try await store.refreshToken(hash: successor.tokenHash) { stored.append(row) }
            }
            #expect(stored.count == 1)
            #expect(stored.first?.revoked == true)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aSuccessorsScopesCanBeNarrowed(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let token = Self.refreshToken()
            try await store.insertRefreshToken(token)
            let successor = Self.successor()
            _ = try await store.rotateRefreshToken(hash: token.tokenHash, applicationId: "app", now: Fixture.now, successor: successor)
            try await store.narrowRefreshTokenScopes(hash: successor.tokenHash, to: ["b"])
            #expect(try await store.refreshToken(hash: successor.tokenHash)?.scopes == ["b"])
            #expect(try await store.refreshToken(hash: token.tokenHash)?.scopes == ["a", "b"])
        }
    }
}
