import Foundation

/// Customer sessions (SPEC §4): an application acting for one of its organisation's users.
///
/// - `sessionAccess: any` — `POST /v1/customer-sessions` with the app's own bearer token and a
///   customer (user id or username) answers a token with `sub` = `customer` = the user's id,
///   `client_id` = the app, the presenting token's scope, the app's `accessTokenTTL`.
/// - `sessionAccess: none` — refused (`session_access_denied`).
/// - `sessionAccess: auto` — the endpoint is refused too: every token the app obtains already
///   acts for its fixed `sessionCustomer` (see ``ClientCredentialsGrant``).
public struct CustomerSessions: Sendable {
    let store: any Store
    let issuer: TokenIssuer
    let introspection: Introspection

    public init(store: any Store, issuer: TokenIssuer, introspection: Introspection) {
        self.store = store
        self.issuer = issuer
        self.introspection = introspection
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No, malformed, expired, revoked or no longer authorised bearer token (401).
        case invalidToken
        /// The token's client may not open customer sessions (403), with the reason.
        case sessionAccessDenied(String)
        /// No enabled user by that id or username in the application's organisation (404).
        case customerNotFound(String)
    }

    /// A session token for `customer`, opened with the application access token `bearer`.
    public func open(bearer: String, customer: String, now: Date) async throws -> (token: String, claims: AccessTokenClaims) {
        guard let claims = try await introspection.activeAccessToken(bearer, now: now), try await introspection.isStillAuthorised(claims) else {
            throw Failure.invalidToken
        }
        guard let application = try await store.application(clientId: claims.client_id) else {
            throw Failure.sessionAccessDenied("only an application's own token may open customer sessions")
        }
        switch application.sessionAccess {
        case .none:
            throw Failure.sessionAccessDenied("this application may not open customer sessions (sessionAccess is 'none')")
        case .auto:
            throw Failure.sessionAccessDenied("this application's tokens already act for its fixed customer (sessionAccess is 'auto')")
        case .any:
            break
        }
        // A token acting for a user (password grant, or an earlier session) cannot open sessions
        // for other customers: only the application's own client_credentials token can.
        guard claims.sub == application.clientId, claims.customer == nil else {
            throw Failure.sessionAccessDenied("only an application's own token (client_credentials) may open customer sessions")
        }
        guard let user = try await Self.customer(customer, organisationId: application.organisationId, store: store), !user.disabled else {
            throw Failure.customerNotFound(customer)
        }
        // The presenting token's scope, bounded by the application's current scopes.
        let scopes = claims.scopes.filter(application.scopes.contains)
        let grant = TokenIssuer.Grant(
            subject: user.id, clientId: application.clientId, organisationId: application.organisationId, scopes: scopes,
            lifetime: application.accessTokenTTL, customer: user.id, parentJti: claims.jti
        )
        return try issuer.accessToken(grant, now: now)
    }

    /// The user with this id, or else this username, in the organisation.
    static func customer(_ idOrUsername: String, organisationId: String, store: any Store) async throws -> User? {
        if let user = try await store.user(id: idOrUsername), user.organisationId == organisationId { return user }
        return try await store.user(organisationId: organisationId, username: idOrUsername)
    }
}
