import Foundation
import GatehouseCore
import HTTPTypes

/// Finds and verifies the credential of a request to enforce (SPEC §5): `Authorization: Bearer
/// <JWT>` or `Bearer <API key>`, `Basic <clientId:secret>`, `Basic <API key:>`, or `X-API-Key`.
/// Answers `nil` for no credential or a bad one — the check endpoint's 401.
struct CredentialResolver: Sendable {
    let apiKeys: APIKeyVerifier
    let introspection: Introspection
    let store: any Store
    let hasher: SecretHasher

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    func resolve(_ headers: HTTPFields, now: Date) async throws -> VerifiedCredential? {
        if let key = headers.value(of: Self.apiKeyHeader) {
            return try await apiKey(String(key.trimmingOWS()), now: now)
        }
        guard let authorization = AuthorizationField(headers) else { return nil }
        let value = String(authorization.credentials)
        switch authorization.scheme {
        case "bearer":
            return SecretFormat.isWellFormed(value, as: .apiKey) ? try await apiKey(value, now: now) : try await accessToken(value, now: now)
        case "basic":
            return try await basic(value, now: now)
        default:
            return nil
        }
    }

    private func apiKey(_ presented: String, now: Date) async throws -> VerifiedCredential? {
        guard let verified = try await apiKeys.authenticate(presented, now: now) else { return nil }
        return .apiKey(verified.key, application: verified.application)
    }

    /// A JWT access token: signature, expiry and revocation (via introspection's rules), and its
    /// client and owner still enabled.
    private func accessToken(_ token: String, now: Date) async throws -> VerifiedCredential? {
        guard let claims = try await introspection.activeAccessToken(token, now: now) else {
            return try await consumerToken(token, now: now)
        }
        let client = try await introspection.stillAuthorisedClient(claims)
        guard client.authorised else { return nil }
        return .accessToken(claims, application: client.application)
    }

    /// A consumer token (SPEC §4) acts for its consumer through the API key it was exchanged with:
    /// an application's key brings that application's policy; a user's key, scopes only. It is
    /// active only while its consumer and that key (and the key's owner) are (``Introspection``).
    private func consumerToken(_ token: String, now: Date) async throws -> VerifiedCredential? {
        guard let active = try await introspection.activeConsumerToken(token, now: now) else { return nil }
        return .accessToken(active.claims, application: active.application)
    }

    /// `Basic base64(user:password)`: an API key as the user name with an empty password, or an
    /// application's `clientId:secret` (RFC 7617 §2; no form-decoding here, unlike RFC 6749).
    private func basic(_ value: String, now: Date) async throws -> VerifiedCredential? {
        guard let credentials = BasicCredentials(Substring(value)) else { return nil }
        if credentials.password.isEmpty { return try await apiKey(credentials.user, now: now) }
        guard SecretFormat.isWellFormed(credentials.password, as: .clientSecret),
              let application = try await store.application(clientId: credentials.user),
              application.accepts(secret: credentials.password, hasher: hasher)
        else { return nil }
        return .basic(application)
    }
}
