import Foundation
import GatehouseCore
import Hummingbird
import NIOCore

/// SPEC §2: a request that needs the database while it is away answers `503` with `Retry-After`,
/// never a 500. Route groups with an error format of their own (admin API, OAuth, the consumer
/// envelope) render it themselves; this answers for the rest — `/v1/check` above all, whose
/// format (`{"error", "message"}`) the gateway listener shares.
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
            return Self.answer
        }
    }

    static var answer: Response {
        Response(
            status: .serviceUnavailable,
            headers: [
                .retryAfter: String(StoreUnavailable.retryAfterSeconds), .contentType: "application/json; charset=utf-8",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: body)
        )
    }

    private static let body = ByteBuffer(bytes: (try? JSONEncoder.gatehouse.encode(
        ["error": "temporarily_unavailable", "message": StoreUnavailable.message]
    )) ?? Data())
}
