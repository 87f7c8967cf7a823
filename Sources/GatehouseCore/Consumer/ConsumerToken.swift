import Foundation

/// The consumer token of the consumer application key flow (SPEC §4): a JWT like an access token
/// (same claims, same keys, in JWKS), but with its own header `typ`, so that no access-token
/// verifier (which requires `at+jwt`, RFC 9068 §4) ever accepts it as an access token, and with a
/// fixed lifetime of two hours.
public enum ConsumerToken {
    /// The header `typ` of consumer tokens (RFC 8725 §3.11: explicit typing, one type per kind of JWT).
    public static let type = "gh-consumer+jwt"
    /// SPEC §4: "The token expires 7200 s after issue whatever its use."
    public static let lifetime = 7200
}

/// Verifies consumer tokens for code that accepts them (the check endpoint, a resource server):
/// the strict checks of ``AccessTokenVerifier`` — key by `kid`, `alg` of the key, `iss`, `aud`,
/// `exp`, `nbf` — with `typ` `gh-consumer+jwt` instead of `at+jwt`, and a lifetime of at most
/// 7200 seconds. Consumer tokens are not stored and cannot be revoked one by one; the server also
/// stops them with their sources (``Introspection/activeConsumerToken(_:now:)``).
public struct ConsumerTokenVerifier: Sendable {
    let verifier: AccessTokenVerifier

    public init(issuer: String, audience: String) {
        verifier = AccessTokenVerifier(issuer: issuer, audience: audience, type: ConsumerToken.type, maxLifetime: ConsumerToken.lifetime)
    }

    /// The claims of a valid consumer token, or `nil`. `key(kid)` finds a published verification key.
    public func verify(_ token: String, now: Date, key: (String) -> VerificationKey?) -> AccessTokenClaims? {
        verifier.verify(token, now: now, key: key)
    }
}
