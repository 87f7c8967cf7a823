import Foundation
import GatehouseCore
import Hummingbird

/// `POST /oauth/introspect` (RFC 7662) and `POST /oauth/revoke` (RFC 7009).
///
/// Introspection callers authenticate as a client (Basic or post, like the token endpoint) or
/// with an admin key as a Bearer token (§2.1: "the endpoint MUST also require some form of
/// authorization"). Revocation requires client authentication (RFC 7009 §2.1).
struct IntrospectionController {
    let authenticator: ClientAuthenticator
    let adminKeys: AdminKeyManager
    let introspection: Introspection
    let revocation: Revocation
    let authenticationGuard: AuthenticationGuard

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("introspect", use: introspect)
        group.post("revoke", use: revoke)
    }

    @Sendable func introspect(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Introspection.Answer> {
        let parameters = try await FormBody.parameters(of: request, context: context)
        let caller = try await self.caller(request, context: context, parameters: parameters)
        let token = try TokenRequest(parameters: parameters).require("token")
        return JSONResponse(try await introspection.introspect(token, by: caller, now: Date()))
    }

    @Sendable func revoke(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let parameters = try await FormBody.parameters(of: request, context: context)
        let client = try await authenticator.authenticate(
            try ClientCredentials.from(request, parameters: parameters), request: request, context: context, authenticationGuard: authenticationGuard
        )
        let token = try TokenRequest(parameters: parameters).require("token")
        try await revocation.revoke(token, by: client, now: Date())
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }

    private func caller(_ request: Request, context: GatehouseRequestContext, parameters: [String: String]) async throws -> Introspection.Caller {
        if let authorization = AuthorizationField(request.headers), authorization.scheme == "bearer" {
            return try await authenticationGuard.attempt(
                request, context: context, refusal: OAuthError.tooManyFailedAttempts, failure: OAuthError.failedGuess
            ) {
                guard try await adminKeys.authenticate(String(authorization.credentials)) != nil else {
                    throw OAuthError(.invalidClient, "the bearer credential is not an admin key")
                }
                return .admin
            }
        }
        return .client(try await authenticator.authenticate(
            try ClientCredentials.from(request, parameters: parameters), request: request, context: context, authenticationGuard: authenticationGuard
        ))
    }
}
