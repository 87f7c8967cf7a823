import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    /// Introspection remembers tokens whose signature verified (``VerifiedTokenCache``); what can
    /// change must still be checked on every use of a remembered token.
    @Suite struct VerifiedTokenCacheTests {
        @Test(arguments: StoreBackend.all)
        func aRememberedTokenStillExpiresLosesItsKeyAndCanBeRevoked(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let now = Date()
                let hasher = try await ServerSecrets.hasher(store: store, masterKey: nil)
                let keys = try await SigningKeyRing(store: store, masterKey: nil, algorithm: .es256, now: now)
                let verifier = AccessTokenVerifier(issuer: "https://gatehouse.test", audience: "https://gatehouse.test")
                let introspection = Introspection(
                    store: store, hasher: hasher, verifier: verifier, keys: keys, apiKeys: APIKeyVerifier(store: store, hasher: hasher)
                )
                let issuer = TokenIssuer(issuer: verifier.issuer, audience: verifier.audience, keys: keys, store: store, hasher: hasher)
                let grant = TokenIssuer.Grant(subject: "s", clientId: "c", organisationId: "o", scopes: ["read"], lifetime: 600)
                let (token, claims) = try issuer.accessToken(grant, now: now)

                // Verified once, then remembered: still active, and still bound by exp and nbf.
                #expect(try await introspection.activeAccessToken(token, now: now) == claims)
                #expect(try await introspection.activeAccessToken(token, now: now.addingTimeInterval(60)) == claims)
                #expect(try await introspection.activeAccessToken(token, now: now.addingTimeInterval(601)) == nil, "expired")
                #expect(try await introspection.activeAccessToken(token, now: now.addingTimeInterval(-5)) == nil, "not yet valid")

                // A key that leaves the published set takes its remembered tokens with it.
                let (other, _) = try issuer.accessToken(grant, now: now)
                #expect(try await introspection.activeAccessToken(other, now: now) != nil)
                try await keys.rotate(to: .es256, by: AuditActor(name: "test", ip: nil), now: now)
                #expect(try await introspection.activeAccessToken(other, now: now) != nil, "the old key stays published after a rotation")
                let afterPublication = now.addingTimeInterval(SigningKeyRing.publicationAfterRotation + 1)
                try await store.prune(now: afterPublication)
                try await keys.reload(now: afterPublication)
                #expect(try await introspection.activeAccessToken(other, now: now) == nil, "its key is no longer published")

                // Revocation is asked on every use.
                let (fresh, freshClaims) = try issuer.accessToken(grant, now: now)
                #expect(try await introspection.activeAccessToken(fresh, now: now) == freshClaims)
                try await store.revokeAccessToken(jti: freshClaims.jti, expiresAt: freshClaims.expiresAt)
                #expect(try await introspection.activeAccessToken(fresh, now: now) == nil, "revoked")
            }
        }
    }
}
