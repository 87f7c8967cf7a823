import Foundation

/// RFC 6749 §4.4: "The client can request an access token using only its client credentials."
/// No refresh token is issued (§4.4.3: "A refresh token SHOULD NOT be included").
///
/// An application with `sessionAccess: auto` (SPEC §4) gets tokens acting for its fixed
/// `sessionCustomer` (a user id or username of its organisation): `sub` = `customer` = the user's
/// id. A customer that does not resolve to an enabled user is `invalid_grant`.
public struct ClientCredentialsGrant: Grant {
    public static let grantType = "client_credentials"
    let issuer: TokenIssuer
    let store: any Store

    public init(issuer: TokenIssuer, store: any Store) {
        self.issuer = issuer
        self.store = store
    }

    public func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse {
        var grant: TokenIssuer.Grant
        switch client {
        case .application(let application):
            // The subject of an application's own token is the application (its client id), as in Hydra.
            grant = TokenIssuer.Grant(
                subject: application.clientId, clientId: application.clientId, organisationId: application.organisationId,
                scopes: try ScopeRequest.grant(request.scopes, allowed: application.scopes), lifetime: application.accessTokenTTL
            )
            if application.sessionAccess == .auto {
                let customer = try await sessionCustomer(of: application)
                grant.subject = customer.id
                grant.customer = customer.id
            }
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

    /// The enabled user an `auto` application acts for: its `sessionCustomer` as an id, or else
    /// as a username, in the application's organisation.
    func sessionCustomer(of application: Application) async throws -> User {
        guard let name = application.sessionCustomer,
              let user = try await CustomerSessions.customer(name, organisationId: application.organisationId, store: store), !user.disabled
        else { throw OAuthError.invalidGrant("the application's session customer is not an enabled user of its organisation") }
        return user
    }
}
