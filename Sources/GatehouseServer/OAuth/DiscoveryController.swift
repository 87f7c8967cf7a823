import Foundation
import GatehouseCore
import Hummingbird
import NIOCore

/// Authorization server metadata (RFC 8414 §2; also served as OpenID discovery) and the JWK Set
/// (RFC 7517 §5) at `/oauth/jwks`.
struct DiscoveryController {
    let issuer: String
    let grantTypes: [String]
    let keys: SigningKeyRing

    struct Metadata: Encodable, Sendable {
        var issuer: String
        var token_endpoint: String
        var introspection_endpoint: String
        var revocation_endpoint: String
        var jwks_uri: String
        var grant_types_supported: [String]
        var response_types_supported: [String] = []
        var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post"]
        // Admin keys may also introspect (Authorization: Bearer); that is not a registered client method.
        var introspection_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post"]
        var revocation_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post"]
        var token_endpoint_auth_signing_alg_values_supported: [String]? = nil
        var access_token_signing_alg_values_supported = SigningAlgorithm.allCases.map(\.rawValue)
        var subject_types_supported = ["public"]
        var id_token_signing_alg_values_supported = SigningAlgorithm.allCases.map(\.rawValue)
    }

    func addRoutes(to router: Router<GatehouseRequestContext>) {
        let metadata = Metadata(
            issuer: issuer, token_endpoint: issuer + "/oauth/token", introspection_endpoint: issuer + "/oauth/introspect",
            revocation_endpoint: issuer + "/oauth/revoke", jwks_uri: issuer + "/oauth/jwks", grant_types_supported: grantTypes
        )
        router.get(".well-known/oauth-authorization-server") { _, _ in try Self.cacheable(metadata, maxAge: 3600) }
        router.get(".well-known/openid-configuration") { _, _ in try Self.cacheable(metadata, maxAge: 3600) }
        // Short max-age: a new key must reach verifiers soon after a rotation; the old key stays
        // published for a day, so cached sets keep verifying old tokens.
        router.get("oauth/jwks") { _, _ in try Self.cacheable(JWKSet(keys: keys.published.map(\.jwk)), maxAge: 300) }
    }

    static func cacheable(_ value: some Encodable, maxAge: Int) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=\(maxAge)"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.gatehouse.encode(value)))
        )
    }
}
