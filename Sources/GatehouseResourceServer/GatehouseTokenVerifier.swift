import AsyncHTTPClient
import Foundation
@_exported import GatehouseCore

/// Verifies Gatehouse access tokens locally, with the keys of a ``JWKSCache``.
///
/// The checks are Gatehouse's own (`AccessTokenVerifier`, RFC 8725 §3 and RFC 9068 §4):
/// - the key is found by the header's `kid`, and its algorithm must equal the header's `alg`
///   (`none`, HS256 keyed with a public key and other algorithm confusion fail);
/// - `typ` must be `at+jwt` (RFC 9068 §4: "Resource servers MUST verify that the typ header value
///   is 'at+jwt' or 'application/at+jwt' and reject tokens carrying any other value");
/// - the signature must verify;
/// - `iss` must equal ``issuer`` (RFC 9068 §4: "The issuer identifier for the authorization server
///   […] MUST exactly match the value of the iss claim");
/// - `aud` must equal ``audience`` (RFC 9068 §4: "The resource server MUST validate that the aud
///   claim contains a resource indicator value corresponding to an identifier the resource server
///   expects for itself");
/// - `exp` must be after now and `nbf` not after it, with no leeway.
///
/// - Important: local verification does not see revocation. A token revoked at `/oauth/revoke`,
///   or one of a disabled or deleted application or user, still verifies here until its `exp`.
///   When revocation — or an application's IP, method and resource restrictions, which a token
///   does not carry — must be enforced, use ``GatehouseEnforcement/checkedByGatehouse(_:)``,
///   which asks `/v1/check`.
public struct GatehouseTokenVerifier: Sendable {
    /// The `iss` Gatehouse writes: its `--issuer` (`http://HOST:PORT` by default).
    public let issuer: String
    /// The `aud` Gatehouse writes: its `--audience`, or the issuer when that is not set.
    public let audience: String
    public let keys: JWKSCache
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - audience: the expected `aud`; the issuer when `nil` (Gatehouse's default audience).
    ///   - now: the current time, for `exp` and `nbf`.
    public init(issuer: String, audience: String? = nil, keys: JWKSCache, now: @escaping @Sendable () -> Date = Date.init) {
        self.issuer = issuer
        self.audience = audience ?? issuer
        self.keys = keys
        self.now = now
    }

    /// A verifier whose keys are fetched from `jwksURL` (Gatehouse serves them at
    /// `<issuer>/oauth/jwks`) with `httpClient`.
    public init(
        issuer: String, audience: String? = nil, jwksURL: String, httpClient: HTTPClient = .shared,
        minimumRefetchInterval: Duration = .seconds(10), now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.init(
            issuer: issuer, audience: audience,
            keys: JWKSCache(jwksURL: jwksURL, httpClient: httpClient, minimumRefetchInterval: minimumRefetchInterval), now: now
        )
    }

    /// The claims of a valid access token, or `nil`.
    public func verify(_ token: String) async -> AccessTokenClaims? {
        // Cheap checks on the unverified token first: only a well-formed token that claims to be
        // an access token of this issuer may cost a JWKS refetch. The real checks follow.
        guard let parts = JWS.parse(token), let kid = parts.header.kid,
              SigningAlgorithm(rawValue: parts.header.alg) != nil,
              let unverified = try? JSONDecoder().decode(UnverifiedIssuer.self, from: parts.payload),
              unverified.iss == issuer,
              let key = await keys.key(kid: kid)
        else { return nil }
        let verifier = AccessTokenVerifier(issuer: issuer, audience: audience)
        return verifier.verify(token, now: now(), key: { $0 == kid ? key : nil })
    }

    private struct UnverifiedIssuer: Decodable {
        var iss: String
    }
}
