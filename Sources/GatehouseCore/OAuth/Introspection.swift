import Foundation

/// RFC 7662 token introspection for access tokens, refresh tokens and API keys.
///
/// §2.2: "If the introspection call is properly authorized but the token is not active, does not
/// exist on this server, or the protected resource is not allowed to introspect this particular
/// token, then the authorization server MUST return an introspection response with the 'active'
/// field set to false" — and nothing else, so an inactive answer reveals nothing.
public struct Introspection: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let verifier: AccessTokenVerifier
    let keys: SigningKeyRing
    let apiKeys: APIKeyVerifier
    let verifiedTokens: VerifiedTokenCache

    public init(
        store: any Store, hasher: SecretHasher, verifier: AccessTokenVerifier, keys: SigningKeyRing, apiKeys: APIKeyVerifier,
        verifiedTokenCapacity: Int = 8192
    ) {
        self.store = store
        self.hasher = hasher
        self.verifier = verifier
        self.keys = keys
        self.apiKeys = apiKeys
        self.verifiedTokens = VerifiedTokenCache(capacity: verifiedTokenCapacity)
    }

    /// Who asks: an application sees only its own organisation's tokens; an admin sees all.
    public enum Caller: Sendable {
        case admin
        case client(AuthenticatedClient)

        func mayInspect(organisationId: String) -> Bool {
            switch self {
            case .admin: true
            case .client(let client): client.organisationId == organisationId
            }
        }
    }

    /// The introspection answer (§2.2): `{"active": false}` or the token's claims.
    public struct Answer: Encodable, Sendable, Equatable {
        public var active: Bool
        public var scope: String?
        public var client_id: String?
        public var token_type: String?
        public var exp: Int?
        public var iat: Int?
        public var nbf: Int?
        public var sub: String?
        public var aud: String?
        public var iss: String?
        public var jti: String?
        public var org: String?
        public var unit: String?
        public var customer: String?

        public static let inactive = Answer(active: false)
    }

    public func introspect(_ token: String, by caller: Caller, now: Date) async throws -> Answer {
        if SecretFormat.isWellFormed(token, as: .refreshToken) {
            return try await introspectRefreshToken(token, by: caller, now: now)
        }
        if SecretFormat.isWellFormed(token, as: .apiKey) {
            return try await introspectAPIKey(token, by: caller, now: now)
        }
        return try await introspectAccessToken(token, by: caller, now: now)
    }

    /// Verifies an access token and checks it is not revoked; `nil` when inactive.
    public func activeAccessToken(_ token: String, now: Date) async throws -> AccessTokenClaims? {
        guard let claims = await verified(token, now: now, by: verifier),
              try await !store.isAccessTokenRevoked(jti: claims.jti)
        else { return nil }
        return claims
    }

    /// The claims `verifier` accepts at `now`, signed by the published key the token's `kid`
    /// names (reloading the keys once for a `kid` another instance may just have added).
    ///
    /// A token whose signature verified before is not verified again (``VerifiedTokenCache``);
    /// what may have changed since — its key still published, `exp` and `nbf` — is checked on
    /// every call.
    private func verified(_ token: String, now: Date, by verifier: AccessTokenVerifier) async -> AccessTokenClaims? {
        if let known = verifiedTokens.entry(for: token), known.type == verifier.type {
            guard keys.verificationKey(kid: known.kid) != nil, verifier.isCurrent(known.claims, now: now) else { return nil }
            return known.claims
        }
        guard let parts = JWS.parse(token), let kid = parts.header.kid,
              let key = await keys.verificationKeyReloadingIfUnknown(kid: kid, now: now),
              let claims = verifier.verify(parts, now: now, key: key)
        else { return nil }
        verifiedTokens.insert(token, VerifiedTokenCache.Entry(claims: claims, kid: kid, type: verifier.type))
        return claims
    }

    /// A consumer token (SPEC §4, `typ` `gh-consumer+jwt`) that verifies and whose sources are all
    /// still live, with the application whose policy applies (nil for a user's key); `nil`
    /// otherwise. Consumer tokens are not revocable one by one (they live at most 7200 s), but a
    /// credential never outlives what it came from:
    /// - the consumer (`sub`): an enabled user of the token's organisation;
    /// - what proved who the consumer is: the consumer credential it was exchanged with
    ///   (`consumer_credential_id`: existing, enabled, the consumer's, of the token's organisation),
    ///   or the user token (`parent_jti`: not revoked). A token that names neither is inactive;
    /// - the API key it was exchanged with (`api_key_id`, or the id in `apikey:<id>`): existing,
    ///   enabled, unexpired, of the token's organisation, and its owner — the application named by
    ///   `client_id`, or the user — existing and enabled. A token that names no key is inactive.
    ///
    /// Both are read through caches that every change drops, on every instance (the change
    /// channel), so a warm check reads no database and a stop is in force within a second.
    public func activeConsumerToken(_ token: String, now: Date) async throws -> (claims: AccessTokenClaims, application: Application?)? {
        let consumerVerifier = ConsumerTokenVerifier(issuer: verifier.issuer, audience: verifier.audience)
        guard let claims = await verified(token, now: now, by: consumerVerifier.verifier),
              let keyId = claims.api_key_id ?? Self.userKeyId(clientId: claims.client_id),
              let apiKey = try await apiKeys.usableKey(id: keyId, now: now), apiKey.key.organisationId == claims.org,
              claims.client_id == apiKey.clientId ?? "apikey:\(keyId)",
              let user = try await store.user(id: claims.sub), user.isActive(in: claims.org),
              try await hasLiveConsumerSource(claims)
        else { return nil }
        return (claims, apiKey.application)
    }

    /// The key id of a consumer token exchanged with a user's key (`client_id` `apikey:<id>`).
    static func userKeyId(clientId: String) -> String? {
        clientId.hasPrefix("apikey:") ? String(clientId.dropFirst("apikey:".count)) : nil
    }

    func introspectAccessToken(_ token: String, by caller: Caller, now: Date) async throws -> Answer {
        guard let claims = try await activeAccessToken(token, now: now), caller.mayInspect(organisationId: claims.org),
              try await isStillAuthorised(claims)
        else { return .inactive }
        return Answer(
            active: true, scope: claims.scope, client_id: claims.client_id, token_type: "Bearer", exp: claims.exp, iat: claims.iat,
            nbf: claims.nbf, sub: claims.sub, aud: claims.aud, iss: claims.iss, jti: claims.jti, org: claims.org,
            unit: claims.unit, customer: claims.customer
        )
    }

    /// A token outlives neither its client nor its user: a disabled or deleted application, API
    /// user or resource owner makes its tokens inactive at once (as Keycloak ends their sessions).
    /// Nor does a token acting for a customer (`customer`) outlive the application's permission to
    /// act for that customer: its current `sessionAccess` and `sessionCustomer` must allow it.
    public func isStillAuthorised(_ claims: AccessTokenClaims) async throws -> Bool {
        try await stillAuthorisedClient(claims).authorised
    }

    /// ``isStillAuthorised(_:)`` together with the token's client application (nil for API
    /// users), read once for callers that need both (the check endpoint).
    public func stillAuthorisedClient(_ claims: AccessTokenClaims) async throws -> (authorised: Bool, application: Application?) {
        if try await isParentRevoked(claims) { return (false, nil) }
        if let application = try await store.application(clientId: claims.client_id) {
            guard !application.disabled, application.organisationId == claims.org,
                  try await application.mayStillAct(forCustomer: claims.customer, store: store)
            else { return (false, application) }
            guard claims.sub != application.clientId else { return (true, application) }
            let owner = try await store.user(id: claims.sub)
            // A token acting for a user (password grant, customer session) dies with that user:
            // disabled or deleted alike.
            return (owner?.isActive(in: claims.org) ?? false, application)
        }
        // Only applications act for customers.
        guard claims.customer == nil, let user = try await store.apiUser(username: claims.client_id) else { return (false, nil) }
        return (!user.disabled && user.id == claims.sub, nil)
    }

    func introspectRefreshToken(_ token: String, by caller: Caller, now: Date) async throws -> Answer {
        guard let stored = try await store.refreshToken(hash: hasher.hash(token)), stored.isUsable(at: now),
              caller.mayInspect(organisationId: stored.organisationId),
              let application = try await store.application(id: stored.applicationId), !application.disabled,
              try await isLiveOwner(stored.userId, organisationId: stored.organisationId)
        else { return .inactive }
        return Answer(
            active: true, scope: stored.scopes.joined(separator: " "), client_id: application.clientId, token_type: "refresh_token",
            exp: Int(stored.expiresAt.timeIntervalSince1970), iat: Int(stored.createdAt.timeIntervalSince1970),
            sub: stored.userId ?? application.clientId, iss: verifier.issuer, org: stored.organisationId
        )
    }

    /// Whether the token this one was obtained with (`parent_jti`) has been revoked: a session or
    /// consumer token stops with it. A cached lookup, as for the token's own `jti`.
    func isParentRevoked(_ claims: AccessTokenClaims) async throws -> Bool {
        guard let parent = claims.parent_jti else { return false }
        return try await store.isAccessTokenRevoked(jti: parent)
    }

    /// A refresh token's user (if any) still exists and is enabled: the grant refuses it otherwise,
    /// so introspection calls it inactive too.
    private func isLiveOwner(_ userId: String?, organisationId: String) async throws -> Bool {
        guard let userId else { return true }
        return try await store.user(id: userId)?.isActive(in: organisationId) ?? false
    }

    /// An API key (SPEC §3) is active while it, and its owner, are usable; introspecting it is not
    /// a use (`lastUsedAt` stays). `sub` is the owning user, or the owning application's client id.
    func introspectAPIKey(_ token: String, by caller: Caller, now: Date) async throws -> Answer {
        guard let verified = try await apiKeys.inspect(token, now: now), caller.mayInspect(organisationId: verified.key.organisationId)
        else { return .inactive }
        let key = verified.key
        return Answer(
            active: true, scope: key.scopes.joined(separator: " "), client_id: verified.clientId, token_type: "api_key",
            exp: key.expiresAt.map { Int($0.timeIntervalSince1970) }, iat: Int(key.createdAt.timeIntervalSince1970),
            sub: verified.subject, iss: verifier.issuer, org: key.organisationId
        )
    }
}
