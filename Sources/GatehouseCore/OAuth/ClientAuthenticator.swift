import Foundation

/// Authenticates clients at the token, introspection and revocation endpoints (RFC 6749 §2.3).
///
/// Applications present their high-entropy secret: one keyed hash and a constant-time compare
/// (the application comes from the cache). API users present their password: the
/// slow KDF, with a dummy hash when the user is unknown so timing does not tell (in its own lane,
/// ``UnknownNameLane``). A client id longer than any can be is refused without a lookup.
public struct ClientAuthenticator: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let passwords: PasswordHasher

    public init(store: any Store, hasher: SecretHasher, passwords: PasswordHasher) {
        self.store = store
        self.hasher = hasher
        self.passwords = passwords
    }

    public func authenticate(_ credentials: ClientCredentials) async throws -> AuthenticatedClient {
        var failure = OAuthError.invalidClient
        failure.usedBasic = credentials.method == .clientSecretBasic
        // Longer than any client id: nobody's, so no lookup, no cached miss and no dummy KDF.
        guard credentials.isPossibleClientId else { throw failure }
        // Application client ids are not secret, so answering fast for a known one reveals nothing
        // and keeps the KDF for API users only.
        if let application = try await store.application(clientId: credentials.clientId) {
            guard application.accepts(secret: credentials.secret, hasher: hasher) else { throw failure }
            return .application(application)
        }
        // Anything else may be an API user's name and password: a guess the throttle also counts
        // against the account (docs/throttling.md), whether or not the user exists.
        failure.isWrongUserCredential = true
        let user = try await store.apiUser(username: credentials.clientId)
        let verified = try await passwords.verifyAtTokenEndpoint(credentials.secret, against: user?.passwordHash)
        guard verified, let user, !user.disabled else { throw failure }
        return .apiUser(user)
    }
}
