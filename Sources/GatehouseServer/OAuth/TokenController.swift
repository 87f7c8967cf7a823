import Foundation
import GatehouseCore
import Hummingbird

/// `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, then hand the request to the
/// grant named by `grant_type`. No grant logic lives here.
struct TokenController {
    let authenticator: ClientAuthenticator
    let grants: Grants

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("token", use: token)
    }

    @Sendable func token(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<TokenResponse> {
        let parameters = try await FormBody.parameters(of: request, context: context)
        let client = try await authenticator.authenticate(try ClientCredentials.from(request, parameters: parameters))
        return JSONResponse(try await grants.exchange(TokenRequest(parameters: parameters), client: client, now: Date()))
    }
}
