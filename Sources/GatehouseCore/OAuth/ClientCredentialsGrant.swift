import Foundation

/// RFC 6749 §4.4: "The client can request an access token using only its client credentials."
/// No refresh token is issued (§4.4.3: "A refresh token SHOULD NOT be included").
public struct ClientCredentialsGrant: Grant {
    public static let grantType = "client_credentials"
    let issuer: TokenIssuer

    public init(issuer: TokenIssuer) {
        self.issuer = issuer
    }

    public func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse {
        let grant: TokenIssuer.Grant
        switch client {
        case .application(let application):
            // The subject of an application's own token is the application (its client id), as in Hydra.
            grant = TokenIssuer.Grant(
                subject: application.clientId, clientId: application.clientId, organisationId: application.organisationId,
                scopes: try ScopeRequest.grant(request.scopes, allowed: application.scopes), lifetime: application.accessTokenTTL
            )
        case .apiUser(let user):
            // API users carry no scopes of their own (SPEC §1): their tokens are scope-less.
            grant = TokenIssuer.Grant(
                subject: user.id, clientId: user.username, organisationId: user.organisationId,
                scopes: try ScopeRequest.grant(request.scopes, allowed: []), lifetime: 3600
            )
        }
        let (token, claims) = try issuer.accessToken(grant, now: now)
        return TokenIssuer.response(token, claims, refreshToken: nil)
    }
}
