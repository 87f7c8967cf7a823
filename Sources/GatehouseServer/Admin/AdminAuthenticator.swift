import Foundation
import GatehouseCore
import Hummingbird

/// Admits a request only with `Authorization: Bearer <admin key>` and records who it is (SPEC §6).
/// A wrong admin key counts against the client's IP (SPEC §7); a missing one does not.
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let adminKeys: AdminKeyManager
    let guard_: AuthenticationGuard

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = AuthorizationField(request.headers) else { throw AdminAPIError.unauthorized }
        let key = try await guard_.attempt(
            request, context: context, refusal: AdminAPIError.tooManyFailedAttempts,
            failure: { ($0 as? AdminAPIError) == .unauthorized ? .generatedSecret : nil }
        ) {
            guard let presented = authorization.credentials(ifScheme: "bearer"), let key = try await adminKeys.authenticate(String(presented))
            else { throw AdminAPIError.unauthorized }
            return key
        }
        var context = context
        context.actor = Actor(name: "adminkey:\(key.id)", ip: context.peerIP)
        return try await next(request, context)
    }
}
