import Foundation
import GatehouseCore
import Hummingbird

/// `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, then hand the request to the
/// grant named by `grant_type`. No grant logic lives here.
///
/// A wrong application secret counts against the client's address only; a wrong password (an API
/// user's, or a user's at the password grant) also against the account (SPEC §7,
/// docs/throttling.md).
struct TokenController {
    let authenticator: ClientAuthenticator
    let grants: Grants
    let authenticationGuard: AuthenticationGuard

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("token", use: token)
    }

    @Sendable func token(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<TokenResponse> {
        let parameters = try await FormBody.parameters(of: request, context: context)
        let client = try await authenticator.authenticate(
            try ClientCredentials.from(request, parameters: parameters), request: request, context: context, authenticationGuard: authenticationGuard
        )
        let tokenRequest = TokenRequest(parameters: parameters)
        guard let username = parameters["username"] else {
            return JSONResponse(try await grants.exchange(tokenRequest, client: client, now: Date()))
        }
        return JSONResponse(try await authenticationGuard.attempt(
            request, context: context, account: "user:\(client.organisationId)/\(username)",
            refusal: OAuthError.tooManyFailedAttempts, failure: { ($0 as? OAuthError)?.isWrongUserCredential == true ? .chosenSecret : nil },
            // Only the password grant proves the user's password: another grant that names a user
            // must not make its address known good for that user.
            provedAccount: { _ in tokenRequest["grant_type"] == PasswordGrant.grantType }
        ) { try await grants.exchange(tokenRequest, client: client, now: Date()) })
    }
}

extension ClientAuthenticator {
    /// Client authentication behind the throttle. A wrong application secret counts against the
    /// address only (a client id is no secret: counting it would let anyone lock the client out);
    /// any other client id may be an API user's name, whose wrong password also counts against
    /// the account, and whose right one makes the address known good for it.
    func authenticate(
        _ credentials: ClientCredentials, request: Request, context: GatehouseRequestContext, authenticationGuard: AuthenticationGuard
    ) async throws -> AuthenticatedClient {
        try await authenticationGuard.attempt(
            request, context: context, account: "client:" + credentials.clientId,
            refusal: OAuthError.tooManyFailedAttempts, failure: OAuthError.failedGuess, provedAccount: \AuthenticatedClient.isAPIUser
        ) { try await authenticate(credentials) }
    }
}
