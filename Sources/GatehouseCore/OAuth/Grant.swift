import Foundation

/// One OAuth 2.0 grant type (RFC 6749 §4), one per file, dispatched by `grant_type`.
/// The token endpoint authenticates the client and checks the grant is allowed; the grant does
/// the rest.
public protocol Grant: Sendable {
    static var grantType: String { get }
    func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse
}

/// The grants the token endpoint knows, keyed by `grant_type`.
public struct Grants: Sendable {
    let grants: [String: any Grant]

    public init(_ grants: [any Grant]) {
        self.grants = Dictionary(uniqueKeysWithValues: grants.map { (type(of: $0).grantType, $0) })
    }

    public var supported: [String] { grants.keys.sorted() }

    /// RFC 6749 §5.2: an unknown grant is `unsupported_grant_type`; one the client may not use is
    /// `unauthorized_client`.
    public func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse {
        let type = try request.require("grant_type")
        guard let grant = grants[type] else {
            throw OAuthError(.unsupportedGrantType, "grant_type '\(type.prefix(100))' is not supported")
        }
        guard client.allows(grantType: type) else {
            throw OAuthError(.unauthorizedClient, "this client may not use grant_type '\(type)'")
        }
        return try await grant.exchange(request, client: client, now: now)
    }
}
