import Foundation
import GatehouseCore
import Hummingbird

/// `POST /authentication/consumer_application_key/token` (SPEC §4): the API key as the HTTP Basic
/// user name with an empty password, and a JSON body naming the consumer; answers the vendor
/// envelope with a two-hour consumer token. Every failure is rendered in ``ConsumerErrorFormat``.
///
/// A wrong API key, authentication code or user token counts against the client's address, a
/// wrong pass code also against its identifier (SPEC §7, docs/throttling.md).
struct ConsumerTokenController {
    let exchange: ConsumerTokenExchange
    let authenticationGuard: AuthenticationGuard

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("token", use: token)
    }

    @Sendable func token(_ request: Request, context: GatehouseRequestContext) async throws -> ConsumerEnvelope {
        let now = Date()
        // The key first: nothing about the body is answered to a caller without a usable key.
        let presented = try Self.apiKey(request)
        let apiKey = try await authenticationGuard.attempt(
            request, context: context, refusal: ConsumerTokenError.tooManyFailedAttempts, failure: { Self.failedGuess($0, account: nil) }
        ) { try await exchange.authenticate(apiKey: presented, now: now) }
        let body = try await Self.jsonBody(request, context: context)
        let consumerRequest = try ConsumerTokenRequest.parse(body)
        var identifier: String?
        if case .passCode(let name, _) = consumerRequest.identifier { identifier = "consumer:\(apiKey.key.organisationId)/\(name)" }
        let issued = try await authenticationGuard.attempt(
            request, context: context, account: identifier, refusal: ConsumerTokenError.tooManyFailedAttempts,
            failure: { Self.failedGuess($0, account: identifier) }, provedAccount: { _ in identifier != nil }
        ) { try await exchange.exchange(consumerRequest, apiKey: apiKey, now: now) }
        return .token(issued.token)
    }

    /// A pass code is chosen by (or for) a person; an API key, an authentication code or a token
    /// was generated.
    static func failedGuess(_ error: any Error, account: String?) -> FailedAuthenticationThrottle.Guess? {
        guard (error as? ConsumerTokenError)?.isFailedAuthentication == true else { return nil }
        return account == nil ? .generatedSecret : .chosenSecret
    }

    /// The API key from `Authorization: Basic base64(<key>:)`: the user name, with an empty password.
    static func apiKey(_ request: Request) throws -> String {
        guard let authorization = AuthorizationField(request.headers) else {
            throw ConsumerTokenError(.invalidAPIKey, "an API key is required: Authorization: Basic base64(<API key>:)")
        }
        guard let value = authorization.credentials(ifScheme: "basic"), let credentials = BasicCredentials(value), !credentials.user.isEmpty
        else { throw ConsumerTokenError(.invalidAPIKey, "send the API key as the HTTP Basic user name with an empty password") }
        guard credentials.password.isEmpty else {
            throw ConsumerTokenError(.invalidAPIKey, "the HTTP Basic password must be empty (the API key is the user name)")
        }
        return credentials.user
    }

    /// The body, which must be `application/json` within the upload limit.
    static func jsonBody(_ request: Request, context: GatehouseRequestContext) async throws -> Data {
        let mediaType = request.headers.mediaType
        guard mediaType == "application/json" else {
            throw ConsumerTokenError(.invalidRequest, "Content-Type must be application/json", httpStatusCode: 415)
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Data(buffer.readableBytesView)
    }
}
