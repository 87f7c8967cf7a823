import Foundation
import GatehouseCore
import Hummingbird

extension ClientCredentials {
    /// The client's credentials from `Authorization: Basic` (client_secret_basic) or the body
    /// (client_secret_post), RFC 6749 §2.3.1. Both at once is `invalid_request` ("The client MUST
    /// NOT use more than one authentication method in each request"); neither is `invalid_client`.
    static func from(_ request: Request, parameters: [String: String]) throws -> ClientCredentials {
        // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted".
        func parameter(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        let basic = try basicCredentials(request)
        let postSecret = parameter("client_secret")
        switch (basic, postSecret) {
        case (.some, .some):
            throw OAuthError.invalidRequest("use either HTTP Basic or client_secret in the body, not both")
        case (.some(let basic), nil):
            if let bodyId = parameter("client_id"), bodyId != basic.clientId {
                throw OAuthError.invalidRequest("client_id in the body differs from the HTTP Basic user")
            }
            return basic
        case (nil, .some(let secret)):
            guard let clientId = parameter("client_id") else { throw OAuthError.invalidRequest("missing parameter 'client_id'") }
            return ClientCredentials(clientId: clientId, secret: secret, method: .clientSecretPost)
        case (nil, nil):
            throw OAuthError(.invalidClient, "client authentication is required")
        }
    }

    /// RFC 6749 §2.3.1: the id and secret are form-encoded, then joined by ':' and base64-encoded.
    private static func basicCredentials(_ request: Request) throws -> ClientCredentials? {
        guard let authorization = AuthorizationField(request.headers), authorization.scheme == "basic" else { return nil }
        var malformed = OAuthError(.invalidClient, "malformed HTTP Basic credentials")
        malformed.usedBasic = true
        guard let credentials = BasicCredentials(authorization.credentials),
              let clientId = FormBody.decode(Substring(credentials.user)), let secret = FormBody.decode(Substring(credentials.password)),
              !clientId.isEmpty
        else { throw malformed }
        return ClientCredentials(clientId: clientId, secret: secret, method: .clientSecretBasic)
    }
}
