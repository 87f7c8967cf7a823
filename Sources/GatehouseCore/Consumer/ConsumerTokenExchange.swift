import Foundation

/// The consumer application key flow (SPEC §4, CRM.COM style): an API key (the integrator) plus a
/// consumer's access-token identifier (an authentication code, an identifier + pass code pair, or
/// a Gatehouse user token) are exchanged for a two-hour consumer token acting for that consumer.
///
/// - The API key is verified by ``APIKeyVerifier`` (format, keyed hash, usable, owner usable); the
///   token's `client_id` is the owning application's client id, or `apikey:<id>` for a user's key,
///   its `scope` the key's scopes, its `org` the key's organisation, its `api_key_id` the key's id,
///   its `consumer_credential_id` the consumer credential's id (or, with `jwt`, its `parent_jti`
///   the user token's `jti`): the token is active only while that key, that credential (or that
///   user token) and its consumer are (``Introspection/activeConsumerToken(_:now:)``), and its
///   `exp` is never after the key's.
/// - A credential of another organisation than the key's never matches.
/// - An authentication code is refused without a database read unless it is a well-formed
///   `ghac_` secret; a pass code is checked with the password KDF, and an unknown identifier costs
///   the same dummy KDF as a wrong pass code (no enumeration by timing).
/// - A disabled credential or a disabled user is `INVALID_CREDENTIALS`, like a wrong code.
/// - `unit`, when given, must be one of the user's `units` (`UNIT_NOT_ALLOWED`), checked only
///   after the credential verified.
public struct ConsumerTokenExchange: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let passwords: PasswordHasher
    let issuer: TokenIssuer
    let introspection: Introspection
    let apiKeys: APIKeyVerifier

    public init(
        store: any Store, hasher: SecretHasher, passwords: PasswordHasher, issuer: TokenIssuer, introspection: Introspection,
        apiKeys: APIKeyVerifier
    ) {
        self.store = store
        self.hasher = hasher
        self.passwords = passwords
        self.issuer = issuer
        self.introspection = introspection
        self.apiKeys = apiKeys
    }

    /// The usable API key `presented`, or ``ConsumerTokenError/invalidAPIKey``. Records the use.
    public func authenticate(apiKey presented: String, now: Date) async throws -> VerifiedAPIKey {
        guard let verified = try await apiKeys.authenticate(presented, now: now) else { throw ConsumerTokenError.invalidAPIKey }
        return verified
    }

    /// A signed consumer token for `request`, presented with the verified `apiKey`.
    public func exchange(_ request: ConsumerTokenRequest, apiKey: VerifiedAPIKey, now: Date) async throws -> (token: String, claims: AccessTokenClaims) {
        let organisationId = apiKey.key.organisationId
        let user: User
        var credentialId: String?
        var parentJti: String?
        switch request.identifier {
        case .authenticationCode(let code):
            (user, credentialId) = try await verifyAuthenticationCode(code, organisationId: organisationId)
        case .passCode(let identifier, let passCode):
            (user, credentialId) = try await verifyPassCode(identifier: identifier, passCode: passCode, organisationId: organisationId)
        case .userToken(let jwt, let organisation):
            (user, parentJti) = try await verifyUserToken(jwt, organisation: organisation, organisationId: organisationId, now: now)
        }
        if let unit = request.unit, !user.units.contains(unit) {
            throw ConsumerTokenError(.unitNotAllowed, "the consumer does not belong to unit '\(unit.prefix(100))'")
        }
        let grant = TokenIssuer.Grant(
            subject: user.id, clientId: apiKey.clientId ?? "apikey:\(apiKey.key.id)", organisationId: organisationId,
            scopes: apiKey.key.scopes, lifetime: Self.lifetime(of: apiKey.key, now: now), unit: request.unit, apiKeyId: apiKey.key.id,
            consumerCredentialId: credentialId, parentJti: parentJti
        )
        return try issuer.accessToken(grant, type: ConsumerToken.type, now: now)
    }

    /// 7200 s, or less when the API key expires sooner: a verifier that only reads `exp` (a
    /// resource server offline) then stops the token with its key too.
    static func lifetime(of key: APIKey, now: Date) -> Int {
        guard let expiresAt = key.expiresAt else { return ConsumerToken.lifetime }
        let remaining = expiresAt.timeIntervalSince(now).rounded(.down)
        return remaining >= Double(ConsumerToken.lifetime) ? ConsumerToken.lifetime : max(1, Int(remaining))
    }

    /// The owner of an enabled authentication-code credential of the organisation, and the credential's id.
    func verifyAuthenticationCode(_ code: String, organisationId: String) async throws -> (user: User, credentialId: String) {
        guard SecretFormat.isWellFormed(code, as: .authenticationCode) else { throw ConsumerTokenError.invalidCredentials }
        let hash = hasher.hash(code)
        guard let credential = try await store.consumerCredential(secretHash: hash), credential.kind == .authenticationCode,
              constantTimeEquals(credential.secretHash, hash), credential.organisationId == organisationId, !credential.disabled
        else { throw ConsumerTokenError.invalidCredentials }
        return (try await activeUser(credential.userId, organisationId: organisationId), credential.id)
    }

    /// The owner of an enabled identifier + pass code credential of the organisation, and the
    /// credential's id. The KDF runs whatever the identifier: against a dummy hash when it names no
    /// pass-code credential (in ``UnknownNameLane``), except for one longer than any identifier,
    /// refused at once.
    func verifyPassCode(identifier: String, passCode: String, organisationId: String) async throws -> (user: User, credentialId: String) {
        // Longer than any identifier can be: nobody's, so no lookup and no KDF (issue 14).
        let longest = ConsumerCredentialRules.maxIdentifierLength
        guard identifier.prefix(longest + 1).count <= longest else { throw ConsumerTokenError.invalidCredentials }
        let found = try await store.consumerCredential(organisationId: organisationId, identifier: identifier)
        let credential = found?.kind == .passCode ? found : nil
        let verified: Bool
        do {
            verified = try await passwords.verify(passCode, against: credential?.secretHash)
        } catch is PasswordHasher.Overloaded {
            throw ConsumerTokenError(.tooManyRequests, "too many pass-code checks in progress; retry shortly")
        }
        guard verified, let credential, !credential.disabled else { throw ConsumerTokenError.invalidCredentials }
        return (try await activeUser(credential.userId, organisationId: organisationId), credential.id)
    }

    /// The user of an active Gatehouse access token (not revoked, client and owner still
    /// authorised), provided the named organisation (id or name) is the API key's and the user
    /// belongs to it. Users belong to exactly one organisation today, so "belongs" is that
    /// organisation; a consumer token cannot be exchanged again (its `typ` is not `at+jwt`).
    func verifyUserToken(_ jwt: String, organisation: String, organisationId: String, now: Date) async throws -> (user: User, jti: String) {
        guard let claims = try await introspection.activeAccessToken(jwt, now: now), try await introspection.isStillAuthorised(claims),
              let user = try await store.user(id: claims.sub), user.isActive(in: claims.org)
        else { throw ConsumerTokenError(.invalidCredentials, "jwt is not an active Gatehouse access token of a user") }
        var named = try await store.organisation(id: organisation)
        if named == nil { named = try await store.organisation(name: organisation) }
        let notAllowed = ConsumerTokenError(.organisationNotAllowed, "no token can be issued for organisation '\(organisation.prefix(100))' with this API key and user")
        guard let named, named.id == organisationId, user.organisationId == named.id else { throw notAllowed }
        return (user, claims.jti)
    }

    private func activeUser(_ id: String, organisationId: String) async throws -> User {
        guard let user = try await store.user(id: id), user.isActive(in: organisationId) else {
            throw ConsumerTokenError.invalidCredentials
        }
        return user
    }
}
