import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Discovery of a Gatehouse's keys from its authorization server metadata (RFC 8414).
public enum GatehouseResourceServer {
    /// The fields of the RFC 8414 §2 metadata a resource server uses.
    public struct Metadata: Decodable, Sendable, Equatable {
        public var issuer: String
        public var jwks_uri: String
        public var introspection_endpoint: String?
    }

    /// Reads `<issuer>/.well-known/oauth-authorization-server` and returns a verifier whose keys
    /// come from its `jwks_uri`.
    ///
    /// RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization
    /// server's issuer identifier value into which the well-known URI string was inserted to create
    /// the URL used to retrieve the metadata. If these values are not identical, the data contained
    /// in the response MUST NOT be used." — a mismatch throws.
    ///
    /// - Parameter audience: the expected `aud`; the issuer when `nil` (Gatehouse's default).
    public static func discover(
        issuer: String, audience: String? = nil, httpClient: HTTPClient = .shared,
        minimumRefetchInterval: Duration = .seconds(10), timeout: Duration = .seconds(10),
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> GatehouseTokenVerifier {
        let metadata = try await metadata(issuer: issuer, httpClient: httpClient, timeout: timeout)
        return GatehouseTokenVerifier(
            issuer: issuer, audience: audience,
            keys: JWKSCache(jwksURL: metadata.jwks_uri, httpClient: httpClient, minimumRefetchInterval: minimumRefetchInterval, timeout: timeout),
            now: now
        )
    }

    /// The issuer's metadata, after the RFC 8414 §3.3 issuer check.
    public static func metadata(issuer: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) async throws -> Metadata {
        let url = try metadataURL(issuer: issuer)
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw GatehouseResourceServerError("GET \(url) answered \(response.status.code)") }
        let metadata: Metadata
        do {
            metadata = try JSONDecoder().decode(Metadata.self, from: Data(body.readableBytesView))
        } catch {
            throw GatehouseResourceServerError("GET \(url) did not answer authorization server metadata: \(error)")
        }
        guard metadata.issuer == issuer else {
            throw GatehouseResourceServerError("GET \(url) names the issuer \(metadata.issuer), not \(issuer) (RFC 8414 §3.3)")
        }
        return metadata
    }

    /// RFC 8414 §3.1: the well-known segment goes between the host and any path of the issuer
    /// (`https://a.example/tenant` → `https://a.example/.well-known/oauth-authorization-server/tenant`).
    static func metadataURL(issuer: String) throws -> String {
        guard var components = URLComponents(string: issuer), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", components.host?.isEmpty == false,
              components.query == nil, components.fragment == nil
        else { throw GatehouseResourceServerError("the issuer \(issuer) is not an http(s) URL without query or fragment (RFC 8414 §2)") }
        let path = components.percentEncodedPath
        components.percentEncodedPath = "/.well-known/oauth-authorization-server" + (path == "/" ? "" : path)
        guard let url = components.string else { throw GatehouseResourceServerError("the issuer \(issuer) is not a URL") }
        return url
    }
}
