import Foundation
import GatehouseCore
import Hummingbird

/// Admits a request only with `Authorization: Bearer <admin key>` and records who it is (SPEC §6).
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let adminKeys: AdminKeyManager

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization],
              header.count > 7, header.prefix(7).lowercased() == "bearer ",
              let key = try await adminKeys.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else { throw AdminAPIError.unauthorized }
        var context = context
        context.actor = Actor(name: "adminkey:\(key.id)", ip: context.peerIP)
        return try await next(request, context)
    }
}
