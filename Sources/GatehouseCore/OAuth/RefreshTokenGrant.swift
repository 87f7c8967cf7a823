import Foundation

/// RFC 6749 §6, with rotation and reuse detection (RFC 9700 §4.14.2): every use consumes the
/// token and returns a new one of the same family; presenting a consumed token revokes the family.
public struct RefreshTokenGrant: Grant {
    public static let grantType = "refresh_token"
    let issuer: TokenIssuer
    let store: any Store
    let hasher: SecretHasher

    public init(issuer: TokenIssuer, store: any Store, hasher: SecretHasher) {
        self.issuer = issuer
        self.store = store
        self.hasher = hasher
    }

    public func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse {
        guard case .application(let application) = client else { throw OAuthError(.unauthorizedClient, "API users use client_credentials") }
        let presented = try request.require("refresh_token")
        let invalid = OAuthError.invalidGrant("the refresh token is invalid, expired or revoked")
        guard SecretFormat.isWellFormed(presented, as: .refreshToken) else { throw invalid }
        let hash = hasher.hash(presented)
        // §6: "validate the refresh token and ensure that it was issued to the authenticated client".
        // Checked before consuming, so another client cannot burn someone else's token.
        guard let stored = try await store.refreshToken(hash: hash), stored.applicationId == application.id else { throw invalid }
        // The app may have lost scopes since the token was issued: a refresh never outlives that.
        let stillAllowed = stored.scopes.filter(application.scopes.contains)
        let scopes = try ScopeRequest.grant(request.scopes, allowed: stillAllowed)
        // The next generation comes from the row as read: what it inherits (family, generation,
        // application, user, family expiry) never changes, so the store can consume the token and
        // store its successor in one step.
        let next = issuer.nextRefreshToken(after: stored, scopes: stillAllowed, now: now)
        switch try await store.consumeRefreshToken(stored, now: now, replacement: next.record) {
        case .invalid:
            throw invalid
        case .reused:
            throw OAuthError.invalidGrant("the refresh token was already used; its whole family is now revoked")
        case .consumed(let token):
            var subject = application.clientId
            if let userId = token.userId {
                guard let user = try await store.user(id: userId), !user.disabled else { throw invalid }
                subject = user.id
            }
            let grant = TokenIssuer.Grant(
                subject: subject, clientId: application.clientId, organisationId: application.organisationId,
                scopes: scopes, lifetime: application.accessTokenTTL
            )
            let (accessToken, claims) = try issuer.accessToken(grant, now: now)
            return TokenIssuer.response(accessToken, claims, refreshToken: next.secret)
        }
    }
}
