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
        guard SecretFormat.isWellFormed(presented, as: .refreshToken) else { throw Self.invalid }
        let hash = hasher.hash(presented)
        // §6: "validate the refresh token and ensure that it was issued to the authenticated client".
        // The store consumes only a token of this application, so another client cannot burn it.
        let (secret, successor) = issuer.refreshTokenSuccessor(now: now)
        if let requested = request.scopes {
            // A request naming scopes is checked against a usable token before anything changes:
            // a scope it may not have is refused with the token still usable (SPEC §7). A used
            // token goes on to the rotation regardless, which detects the reuse.
            guard let stored = try await store.refreshToken(hash: hash), stored.applicationId == application.id else { throw Self.invalid }
            if stored.isUsable(at: now) { _ = try ScopeRequest.grant(requested, allowed: Self.stillAllowed(stored, application)) }
        }
        // One statement (the common request has nothing to read first): the store derives the
        // successor from the consumed row.
        let consumed = try await rotate(hash: hash, application: application, now: now, successor: successor)
        // The app may have lost scopes since the token was issued: a refresh never outlives that.
        let stillAllowed = Self.stillAllowed(consumed, application)
        let scopes = try ScopeRequest.grant(request.scopes, allowed: stillAllowed)
        if stillAllowed != consumed.scopes {
            // A second statement, so a failure here spends the token without handing out its
            // successor; it runs only for an app that lost scopes since the token was issued.
            try await store.narrowRefreshTokenScopes(hash: successor.tokenHash, to: stillAllowed)
        }
        var subject = application.clientId
        if let userId = consumed.userId {
            guard let user = try await store.user(id: userId), !user.disabled else { throw Self.invalid }
            subject = user.id
        }
        let grant = TokenIssuer.Grant(
            subject: subject, clientId: application.clientId, organisationId: application.organisationId,
            scopes: scopes, lifetime: application.accessTokenTTL
        )
        let (accessToken, claims) = try issuer.accessToken(grant, now: now)
        return TokenIssuer.response(accessToken, claims, refreshToken: secret)
    }

    private func rotate(hash: String, application: Application, now: Date, successor: RefreshTokenSuccessor) async throws -> RefreshToken {
        switch try await store.rotateRefreshToken(hash: hash, applicationId: application.id, now: now, successor: successor) {
        case .invalid:
            throw Self.invalid
        case .reused:
            throw OAuthError.invalidGrant("the refresh token was already used; its whole family is now revoked")
        case .consumed(let token):
            return token
        }
    }

    private static let invalid = OAuthError.invalidGrant("the refresh token is invalid, expired or revoked")

    private static func stillAllowed(_ token: RefreshToken, _ application: Application) -> [String] {
        token.scopes.filter(application.scopes.contains)
    }
}
