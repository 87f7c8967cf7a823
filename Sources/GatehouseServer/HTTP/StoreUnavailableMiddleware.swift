import GatehouseCore
import Hummingbird

/// SPEC §2: a request that needs the database while it is away answers `503` with `Retry-After`,
/// never a 500. Route groups with an ``ErrorMiddleware`` (admin API, OAuth, the consumer
/// envelope, customer sessions) render it themselves; this answers for the rest — `/v1/check`
/// above all — with ``CheckRefusal/unavailable``, as the gateway listener does.
///
/// A forward-auth proxy passes the check's non-2xx status to the client (nginx turns anything but
/// 401 and 403 into 500 unless `error_page` maps it: docs/enforcement.md), so the request is
/// refused, never let through, while the database is away.
struct StoreUnavailableMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is StoreUnavailable {
            return CheckRefusal.unavailable.response
        }
    }
}
