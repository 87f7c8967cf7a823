import Foundation
import GatehouseCore
import Hummingbird

/// `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, then hand the request to the
/// grant named by `grant_type`. No grant logic lives here.
///
/// Failed client authentication counts against the client id and the client's IP, a wrong user
/// password (password grant) against the user name and the IP (SPEC §7).
struct TokenController {
    let authenticator: ClientAuthenticator
    let grants: Grants
    let guard_: AuthenticationGuard

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("token", use: token)
    }

    @Sendable func token(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<TokenResponse> {
        let parameters = try await FormBody.parameters(of: request, context: context)
        let client = try await authenticator.authenticate(
            try ClientCredentials.from(request, parameters: parameters), request: request, context: context, guard: guard_
        )
        let tokenRequest = TokenRequest(parameters: parameters)
        guard let username = parameters["username"] else {
            return JSONResponse(try await grants.exchange(tokenRequest, client: client, now: Date()))
        }
        return JSONResponse(try await guard_.attempt(
            guard_.keys(request, context: context, names: "user:\(client.organisationId)/\(username)"),
            refusal: OAuthError.tooManyFailedAttempts, isFailure: { ($0 as? OAuthError)?.isWrongUserCredential == true }
        ) { try await grants.exchange(tokenRequest, client: client, now: Date()) })
    }
}

extension ClientAuthenticator {
    /// Client authentication behind the throttle: failures count against the client id and IP.
    func authenticate(
        _ credentials: ClientCredentials, request: Request, context: GatehouseRequestContext, guard: AuthenticationGuard
    ) async throws -> AuthenticatedClient {
        try await `guard`.attempt(
            `guard`.keys(request, context: context, names: "client:" + credentials.clientId),
            refusal: OAuthError.tooManyFailedAttempts,
            isFailure: OAuthError.isFailedAuthentication
        ) { try await authenticate(credentials) }
    }
}
