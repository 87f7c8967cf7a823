import Foundation

/// RFC 7009 token revocation.
///
/// §2.2: "The authorization server responds with HTTP status code 200 if the token has been
/// revoked successfully or if the client submitted an invalid token" — so every outcome here is
/// silent; a token of another client is left alone (§2.1: the server "verifies whether the token
/// was issued to the client making the revocation request").
public struct Revocation: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let introspection: Introspection

    public init(store: any Store, hasher: SecretHasher, introspection: Introspection) {
        self.store = store
        self.hasher = hasher
        self.introspection = introspection
    }

    public func revoke(_ token: String, by client: AuthenticatedClient, now: Date) async throws {
        if SecretFormat.isWellFormed(token, as: .refreshToken) {
            // §2.1: revoking a refresh token SHOULD also invalidate its family's tokens.
            guard case .application(let application) = client,
                  let stored = try await store.refreshToken(hash: hasher.hash(token)), stored.applicationId == application.id
            else { return }
            try await store.revokeRefreshFamily(id: stored.familyId)
            return
        }
        guard let claims = try await introspection.activeAccessToken(token, now: now), claims.client_id == client.clientId else { return }
        // The entry outlives the token by the longest lifetime of a token obtained with it (its
        // `parent_jti`), so that a customer session or consumer token never outlives the record.
        let keptUntil = claims.expiresAt.addingTimeInterval(TimeInterval(TokenIssuer.lifetimeRange.upperBound))
        try await store.revokeAccessToken(jti: claims.jti, expiresAt: keptUntil)
    }
}
