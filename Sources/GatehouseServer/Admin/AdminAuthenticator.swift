import Foundation
import GatehouseCore
import Hummingbird

/// Admits a request only with `Authorization: Bearer <admin key>` and records who it is (SPEC §6).
/// A wrong admin key counts against the client's IP (SPEC §7) and leaves a rate-limited trace in
/// the audit log (``AdminAuthFailureLog``); a missing one does neither. The client's address is
/// resolved as `/v1/check` resolves it (the peer, or whom trusted proxies name), for the throttle
/// and the audit log alike.
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let adminKeys: AdminKeyManager
    let authenticationGuard: AuthenticationGuard
    let failures: AdminAuthFailureLog
    let store: any Store

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = AuthorizationField(request.headers) else { throw AdminAPIError.unauthorized }
        let clientIP = authenticationGuard.clientIP(request.headers, peer: context.peerAddress)?.description
        let presented = authorization.credentials(ifScheme: "bearer").map(String.init)
        let key: AdminKey
        do {
            key = try await authenticationGuard.attempt(
                request, context: context, refusal: AdminAPIError.tooManyFailedAttempts,
                failure: { ($0 as? AdminAPIError) == .unauthorized ? .generatedSecret : nil }
            ) {
                guard let presented, let key = try await adminKeys.authenticate(presented, now: Date()) else { throw AdminAPIError.unauthorized }
                return key
            }
        } catch let error as AdminAPIError where error == .unauthorized {
            await audit(failureFrom: clientIP, presented: presented)
            throw error
        }
        var context = context
        context.actor = AuditActor(name: "adminkey:\(key.id)", ip: clientIP)
        return try await next(request, context)
    }

    /// Writes the failure's row when ``AdminAuthFailureLog`` says one is due; a failed write
    /// changes nothing in the answer.
    private func audit(failureFrom clientIP: String?, presented: String?) async {
        let prefix = presented.flatMap(AdminKeyManager.loggablePrefix(of:))
        guard let row = failures.record(ip: clientIP, keyPrefix: prefix, now: Date()) else { return }
        try? await store.insertAuditEvents([row])
    }
}
