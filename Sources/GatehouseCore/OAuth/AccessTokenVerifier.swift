import Foundation

/// Verifies Gatehouse access tokens strictly (RFC 8725 §3, RFC 9068 §4).
///
/// - the key is found by `kid`, and its algorithm must equal the header's `alg` ("alg": "none",
///   HS256 keyed with a public key, or any other algorithm confusion fails here);
/// - "typ" must be `at+jwt` (RFC 9068 §4: "Resource servers MUST verify that the typ header value
///   is 'at+jwt' or 'application/at+jwt' and reject tokens carrying any other value");
/// - "iss" and "aud" must match; "exp" must be after `now` and "nbf" not after it;
/// - "exp" − "iat" must be a lifetime Gatehouse issues (0 to `maxLifetime` seconds), computed with
///   overflow checked: a token claiming to live for ages (or since 292 billion years ago) is refused.
public struct AccessTokenVerifier: Sendable {
    public var issuer: String
    public var audience: String
    /// The one header `typ` accepted (also with an `application/` prefix): `at+jwt` for access
    /// tokens. ``ConsumerTokenVerifier`` uses the same checks with the consumer token's own type.
    public var type: String
    /// The longest lifetime accepted: 86,400 s for access tokens (the largest `accessTokenTTL`).
    public var maxLifetime: Int

    public init(issuer: String, audience: String, type: String = AccessTokenClaims.type, maxLifetime: Int = TokenIssuer.lifetimeRange.upperBound) {
        self.issuer = issuer
        self.audience = audience
        self.type = type
        self.maxLifetime = maxLifetime
    }

    /// The claims of a valid token, or `nil`. `key(kid)` finds a published verification key.
    public func verify(_ token: String, now: Date, key: (String) -> VerificationKey?) -> AccessTokenClaims? {
        guard let parts = JWS.parse(token), let kid = parts.header.kid, let verificationKey = key(kid) else { return nil }
        return verify(parts, now: now, key: verificationKey)
    }

    /// The claims of a parsed token if `key` (the published key its `kid` names) signed it and
    /// every check passes at `now`; `nil` otherwise.
    public func verify(_ parts: JWS.Parts, now: Date, key: VerificationKey) -> AccessTokenClaims? {
        guard parts.header.kid == key.kid, parts.header.alg == key.algorithm.rawValue,
              let typ = parts.header.typ?.lowercased(), typ == type.lowercased() || typ == "application/" + type.lowercased(),
              key.isValidSignature(parts.signature, for: parts.signingInput),
              let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: parts.payload),
              claims.iss == issuer, claims.aud == audience, hasIssuableLifetime(claims), isCurrent(claims, now: now)
        else { return nil }
        return claims
    }

    /// `exp` − `iat` is 0 to ``maxLifetime`` seconds (both NumericDates come from the token).
    public func hasIssuableLifetime(_ claims: AccessTokenClaims) -> Bool {
        let (lifetime, overflow) = claims.exp.subtractingReportingOverflow(claims.iat)
        return !overflow && (0...maxLifetime).contains(lifetime)
    }

    /// RFC 7519 §4.1.4/§4.1.5: `exp` after `now` and `nbf` not after it (whole seconds).
    public func isCurrent(_ claims: AccessTokenClaims, now: Date) -> Bool {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down))
        return claims.exp > seconds && claims.nbf <= seconds
    }
}
