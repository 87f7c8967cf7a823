import Foundation

/// Mints access tokens (RFC 9068 JWTs signed with the active key) and refresh tokens (random
/// secrets stored as keyed hashes, in families).
public struct TokenIssuer: Sendable {
    public let issuer: String
    public let audience: String
    let keys: SigningKeyRing
    let store: any Store
    let hasher: SecretHasher

    /// A refresh token lives 30 days from issue; its family at most 90 days (then the user signs
    /// in again). Hydra's default is 30 days; Keycloak bounds sessions the same way.
    public static let refreshTokenLifetime: TimeInterval = 30 * 86_400
    public static let refreshFamilyLifetime: TimeInterval = 90 * 86_400
    /// The shortest and longest lifetime of an access or consumer token, in seconds.
    public static let lifetimeRange = 1...ApplicationRules.accessTokenTTLRange.upperBound

    public init(issuer: String, audience: String, keys: SigningKeyRing, store: any Store, hasher: SecretHasher) {
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
        self.store = store
        self.hasher = hasher
    }

    /// What an access token says: for whom, through which client, in which organisation.
    public struct Grant: Sendable {
        public var subject: String
        public var clientId: String
        public var organisationId: String
        public var scopes: [String]
        public var lifetime: Int
        public var customer: String?
        public var unit: String?
        /// The API key a consumer token was exchanged with (its `api_key_id` claim).
        public var apiKeyId: String?
        /// The consumer credential a consumer token was exchanged with (its `consumer_credential_id` claim).
        public var consumerCredentialId: String?
        /// The access token this one is obtained with (its `parent_jti` claim).
        public var parentJti: String?

        public init(
            subject: String, clientId: String, organisationId: String, scopes: [String], lifetime: Int, customer: String? = nil,
            unit: String? = nil, apiKeyId: String? = nil, consumerCredentialId: String? = nil, parentJti: String? = nil
        ) {
            self.subject = subject
            self.clientId = clientId
            self.organisationId = organisationId
            self.scopes = scopes
            self.lifetime = lifetime
            self.customer = customer
            self.unit = unit
            self.apiKeyId = apiKeyId
            self.consumerCredentialId = consumerCredentialId
            self.parentJti = parentJti
        }
    }

    /// A signed JWT for `grant`. `type` is the header `typ`: `at+jwt` for access tokens; consumer
    /// tokens use their own (``ConsumerToken/type``) so no access-token verifier accepts them.
    ///
    /// The lifetime (an application's `accessTokenTTL`, read from a database row) is bounded to
    /// ``lifetimeRange`` here, whatever the row says: `exp` cannot overflow, and no token outlives
    /// the publication window of ``SigningKeyRing`` (which assumes at most 86,400 s).
    public func accessToken(_ grant: Grant, type: String = AccessTokenClaims.type, now: Date) throws -> (token: String, claims: AccessTokenClaims) {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let lifetime = min(max(grant.lifetime, Self.lifetimeRange.lowerBound), Self.lifetimeRange.upperBound)
        let claims = AccessTokenClaims(
            iss: issuer, sub: grant.subject, aud: audience, exp: issuedAt + lifetime, iat: issuedAt, nbf: issuedAt,
            jti: RandomUUID.make(), client_id: grant.clientId, scope: grant.scopes.joined(separator: " "),
            org: grant.organisationId, unit: grant.unit, customer: grant.customer, api_key_id: grant.apiKeyId,
            consumer_credential_id: grant.consumerCredentialId, parent_jti: grant.parentJti
        )
        let token = try JWS.sign(payload: claims.jsonBytes, type: type, with: keys.active)
        return (token, claims)
    }

    /// A refresh token starting a new family, stored at once.
    public func refreshToken(applicationId: String, userId: String?, organisationId: String, scopes: [String], now: Date) async throws -> String {
        let (secret, first) = refreshTokenSuccessor(now: now)
        let familyExpiresAt = now.addingTimeInterval(Self.refreshFamilyLifetime)
        try await store.insertRefreshToken(RefreshToken(
            id: first.id, tokenHash: first.tokenHash, familyId: RandomUUID.make(), generation: 1, applicationId: applicationId,
            userId: userId, organisationId: organisationId, scopes: scopes, consumed: false, revoked: false, createdAt: now,
            expiresAt: min(first.expiresAt, familyExpiresAt), familyExpiresAt: familyExpiresAt
        ))
        return secret
    }

    /// A new refresh token's secret, and what a store adds to the token it consumes to make this
    /// one its next generation.
    public func refreshTokenSuccessor(now: Date) -> (secret: String, successor: RefreshTokenSuccessor) {
        let secret = SecretFormat.generate(.refreshToken)
        let successor = RefreshTokenSuccessor(
            id: RandomUUID.make(), tokenHash: hasher.hash(secret), createdAt: now, expiresAt: now.addingTimeInterval(Self.refreshTokenLifetime)
        )
        return (secret, successor)
    }

    /// The response for an access token, with a refresh token when one was issued.
    static func response(_ token: String, _ claims: AccessTokenClaims, refreshToken: String?) -> TokenResponse {
        TokenResponse(access_token: token, expires_in: claims.exp - claims.iat, scope: claims.scope, refresh_token: refreshToken)
    }
}
