import Foundation
import GatehouseCore
import Hummingbird

/// `POST /v1/customer-sessions` (SPEC §4): an application, with its own bearer access token, opens
/// a session token acting for one of its organisation's users. Errors are `{"error", "message"}`
/// (``AdminErrorFormat``, logged as the "customer sessions" group).
///
/// A bad bearer token counts against the client's IP (SPEC §7).
struct CustomerSessionsController {
    let sessions: CustomerSessions
    let authenticationGuard: AuthenticationGuard

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post(use: open)
    }

    /// `{"customer": "<user id or username>"}`.
    struct Input: Decodable, JSONObjectBody {
        static let fields: Set<String> = ["customer"]
        static var integerFields: Set<String> { [] }
        var customer: String
    }

    /// RFC 6749 §5.1 fields of the session token (no refresh token: the app opens a new session).
    struct Answer: Encodable, Sendable {
        var access_token: String
        var token_type = "Bearer"
        var expires_in: Int
    }

    @Sendable func open(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Answer> {
        let bearer = try Self.bearer(request)
        let input = try await request.decodeJSONObject(Input.self, context: context)
        guard !input.customer.isEmpty else { throw AdminAPIError.invalidRequest("customer must not be empty", field: "customer") }
        do {
            let (token, claims) = try await authenticationGuard.attempt(
                request, context: context, refusal: AdminAPIError.tooManyFailedAttempts,
                failure: { ($0 as? CustomerSessions.Failure) == .invalidToken ? .generatedSecret : nil }
            ) { try await sessions.open(bearer: bearer, customer: input.customer, now: Date()) }
            return JSONResponse(Answer(access_token: token, expires_in: claims.exp - claims.iat))
        } catch let failure as CustomerSessions.Failure {
            switch failure {
            case .invalidToken:
                throw Self.invalidToken
            case .sessionAccessDenied(let reason):
                throw AdminAPIError(.forbidden, "session_access_denied", reason)
            case .customerNotFound(let customer):
                throw AdminAPIError(.notFound, "customer_not_found", "no enabled customer '\(customer.prefix(100))' in the application's organisation")
            }
        }
    }

    /// RFC 6750 §3.1: an invalid (or missing) token is 401 with `error="invalid_token"`.
    static let invalidToken: AdminAPIError = {
        var error = AdminAPIError(.unauthorized, "invalid_token", "an active application access token is required (Authorization: Bearer <token>)")
        error.headers[.wwwAuthenticate] = #"Bearer error="invalid_token""#
        return error
    }()

    static func bearer(_ request: Request) throws -> String {
        guard let token = AuthorizationField(request.headers)?.credentials(ifScheme: "bearer") else { throw invalidToken }
        return String(token)
    }
}
