import Foundation

/// Verifies Gatehouse access tokens strictly (RFC 8725 §3, RFC 9068 §4).
///
/// - the key is found by `kid`, and its algorithm must equal the header's `alg` ("alg": "none",
///   HS256 keyed with a public key, or any other algorithm confusion fails here);
/// - "typ" must be `at+jwt` (RFC 9068 §4: "Resource servers MUST verify that the typ header value
///   is 'at+jwt' or 'application/at+jwt' and reject tokens carrying any other value");
/// - "iss" and "aud" must match; "exp" must be after `now` and "nbf" not after it.
public struct AccessTokenVerifier: Sendable {
    public var issuer: String
    public var audience: String
    /// The one header `typ` accepted (also with an `application/` prefix): `at+jwt` for access
    /// tokens. ``ConsumerTokenVerifier`` uses the same checks with the consumer token's own type.
    public var type: String

    public init(issuer: String, audience: String, type: String = AccessTokenClaims.type) {
        self.issuer = issuer
        self.audience = audience
        self.type = type
    }

    /// The claims of a valid token, or `nil`. `key(kid)` finds a published verification key.
    public func verify(_ token: String, now: Date, key: (String) -> VerificationKey?) -> AccessTokenClaims? {
        guard let parts = JWS.parse(token),
              let kid = parts.header.kid, let verificationKey = key(kid),
              parts.header.alg == verificationKey.algorithm.rawValue,
              let typ = parts.header.typ?.lowercased(), typ == type.lowercased() || typ == "application/" + type.lowercased(),
              verificationKey.isValidSignature(parts.signature, for: parts.signingInput),
              let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: parts.payload)
        else { return nil }
        let seconds = Int(now.timeIntervalSince1970.rounded(.down))
        guard claims.iss == issuer, claims.aud == audience, claims.exp > seconds, claims.nbf <= seconds else { return nil }
        return claims
    }
}
