import AsyncHTTPClient
import Foundation
import GatehouseCore
import GatehouseResourceServer
import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite("Resource-server library against a real Gatehouse")
struct ResourceServerTests {
    // MARK: Admitting

    @Test("A valid token passes, the handler sees its claims, and the keys are fetched once")
    func validToken() async throws {
        try await withGatehouse { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read", "orders:write"])
            let token = try await gatehouse.token(app, scope: "orders:read")
            let keys = JWKSCache(jwksURL: gatehouse.jwksURL)
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
            try await withVendor(verifier) { vendor in
                let me = try await vendor.call("/api/me", token: token)
                #expect(me.status == .ok)
                let seen = try #require(me.seen)
                #expect(seen.sub == app.clientId)
                #expect(seen.client_id == app.clientId)
                #expect(seen.scope == "orders:read")
                #expect(!seen.org.isEmpty)

                #expect(try await vendor.call("/api/orders", token: token).status == .ok)
                // RFC 9110 §11.1: the scheme is case-insensitive.
                #expect(try await vendor.call("/api/me", authorization: ["bearer \(token)"]).status == .ok)
                #expect(try await vendor.call("/public").status == .ok)
            }
            #expect(await keys.fetchCount == 1)
            #expect(await keys.cachedKeyIDs == [try #require(kid(of: token))])
        }
    }

    @Test("Every signing algorithm's tokens verify", arguments: SigningAlgorithm.allCases)
    func algorithms(_ algorithm: SigningAlgorithm) async throws {
        try await withGatehouse(signingAlgorithm: algorithm) { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            #expect(JWS.parse(token)?.header.alg == algorithm.rawValue)
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)
            #expect(await verifier.verify(token)?.scope == "orders:read")
        }
    }

    // MARK: 401

    @Test("No token, another scheme, garbage, a forged signature, two headers → 401 with an RFC 6750 challenge")
    func unauthenticated() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)
            try await withVendor(verifier) { vendor in
                // RFC 6750 §3.1: no authentication information → no error code.
                for authorization in [[], ["Basic " + Data("a:b".utf8).base64EncodedString()], ["Bearer"]] {
                    let answer = try await vendor.call("/api/me", authorization: authorization)
                    #expect(answer.status == .unauthorized, "\(authorization)")
                    #expect(answer.challenge == "Bearer", "\(authorization)")
                }
                // A bearer credential that does not verify → invalid_token.
                let segments = token.split(separator: ".").map(String.init)
                let forged = segments[0] + "." + segments[1] + "." + String(segments[2].reversed())
                let unsigned = segments[0] + "." + segments[1] + "."
                let swappedPayload = try segments[0] + "." + Base64URL.encode(JSONSerialization.data(withJSONObject: ["iss": gatehouse.issuer, "scope": "orders:read orders:write"])) + "." + segments[2]
                for bad in ["garbage", "a.b.c", forged, unsigned, swappedPayload, token + "x", "\(token) \(token)"] {
                    expectInvalidToken(try await vendor.call("/api/me", authorization: ["Bearer \(bad)"]), "\(bad)")
                }
                expectInvalidToken(try await vendor.call("/api/me", authorization: ["Bearer \(token)", "Bearer \(token)"]), "two headers")
                // Scopes are never checked for an unauthenticated request.
                expectInvalidToken(try await vendor.call(.post, "/api/orders", token: "garbage"))
            }
        }
    }

    @Test("The challenge names the realm when one is configured")
    func realm() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)
            try await withVendor(verifier, realm: "orders") { vendor in
                let missing = try await vendor.call("/api/me")
                #expect(missing.challenge == #"Bearer realm="orders""#)
                let invalid = try await vendor.call("/api/me", token: "x")
                #expect(invalid.challenge == #"Bearer realm="orders", error="invalid_token""#)
                let insufficient = try await vendor.call(.post, "/api/orders", token: token)
                #expect(insufficient.challenge == #"Bearer realm="orders", error="insufficient_scope", scope="orders:read orders:write""#)
                let unauthenticated = try await vendor.call("/scoped-only", token: token)
                #expect(unauthenticated.challenge == #"Bearer realm="orders""#)
            }
        }
    }

    @Test("A token of another issuer → 401, whether its key is unknown or its iss differs")
    func anotherIssuer() async throws {
        try await withGatehouse { gatehouse in
            try await withGatehouse(issuer: "http://other.test") { other in
                let mine = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
                let theirs = try await other.token(try await other.createApp(scopes: ["orders:read"]))

                let keys = JWKSCache(jwksURL: gatehouse.jwksURL)
                let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
                try await withVendor(verifier) { vendor in
                    #expect(try await vendor.call("/api/me", token: mine).status == .ok)
                    expectInvalidToken(try await vendor.call("/api/me", token: theirs), "other issuer")
                }
                // A foreign iss does not even cost a refetch.
                #expect(await keys.fetchCount == 1)

                // Correctly signed by the trusted keys, but the verifier expects another issuer.
                let confused = GatehouseTokenVerifier(issuer: other.issuer, keys: keys)
                #expect(await confused.verify(mine) == nil)
                // The other issuer's name, but not its keys.
                let wrongKeys = GatehouseTokenVerifier(issuer: other.issuer, jwksURL: gatehouse.jwksURL)
                #expect(await wrongKeys.verify(theirs) == nil)
                // A key Gatehouse never published, with Gatehouse's issuer.
                #expect(await verifier.verify(try foreignToken(issuer: gatehouse.issuer)) == nil)
                // Sanity: each verifies with its own issuer and keys.
                #expect(await GatehouseTokenVerifier(issuer: other.issuer, jwksURL: other.jwksURL).verify(theirs) != nil)
            }
        }
    }

    @Test("An expired token, or one not yet valid, → 401 (exp and nbf, no leeway)")
    func expiry() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"], accessTokenTTL: 60))
            let claims = try #require(await GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL).verify(token))
            #expect(claims.exp - claims.iat == 60)
            let keys = JWKSCache(jwksURL: gatehouse.jwksURL)
            func verifier(at seconds: Int) -> GatehouseTokenVerifier {
                GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys, now: { Date(timeIntervalSince1970: TimeInterval(seconds)) })
            }
            #expect(await verifier(at: claims.exp - 1).verify(token) != nil)
            #expect(await verifier(at: claims.exp).verify(token) == nil)
            #expect(await verifier(at: claims.exp + 3600).verify(token) == nil)
            #expect(await verifier(at: claims.nbf).verify(token) != nil)
            #expect(await verifier(at: claims.nbf - 1).verify(token) == nil)

            try await withVendor(verifier(at: claims.exp + 1)) { vendor in
                expectInvalidToken(try await vendor.call("/api/me", token: token), "expired")
            }
        }
    }

    @Test("A token for another audience → 401; Gatehouse's --audience is honoured")
    func audience() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            let wrong = GatehouseTokenVerifier(issuer: gatehouse.issuer, audience: "https://orders.vendor.test", jwksURL: gatehouse.jwksURL)
            try await withVendor(wrong) { vendor in
                expectInvalidToken(try await vendor.call("/api/me", token: token), "wrong audience")
            }
        }
        try await withGatehouse(audience: "https://orders.vendor.test") { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            // The default audience is the issuer, which these tokens are not for.
            #expect(await GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL).verify(token) == nil)
            let right = GatehouseTokenVerifier(issuer: gatehouse.issuer, audience: "https://orders.vendor.test", jwksURL: gatehouse.jwksURL)
            #expect(await right.verify(token)?.aud == "https://orders.vendor.test")
        }
    }

    @Test("A consumer token (typ gh-consumer+jwt) signed by the same keys is not an access token")
    func otherType() async throws {
        try await withGatehouse { gatehouse in
            // Signed by a key the verifier trusts (it is looked up by kid in the test's own
            // cache), with every claim right, but the wrong typ.
            let key = try SigningKey.generate(.es256)
            let keys = JWKSCache(fetch: { JWKSet(keys: [key.verificationKey.jwk]) })
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
            #expect(await verifier.verify(try foreignToken(issuer: gatehouse.issuer, key: key)) != nil)
            let now = Int(Date().timeIntervalSince1970)
            let claims = AccessTokenClaims(
                iss: gatehouse.issuer, sub: "s", aud: gatehouse.issuer, exp: now + 60, iat: now, nbf: now, jti: "j", client_id: "c", scope: "", org: "o"
            )
            for type in ["gh-consumer+jwt", "JWT", "at+jwt+x"] {
                let token = try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: type, with: key)
                #expect(await verifier.verify(token) == nil, "typ \(type)")
            }
            #expect(await verifier.verify(try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: "application/at+jwt", with: key)) != nil)
        }
    }

    // MARK: 403

    @Test("A token without a required scope → 403 insufficient_scope naming the scopes")
    func missingScope() async throws {
        try await withGatehouse { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read", "orders:write"])
            let readOnly = try await gatehouse.token(app, scope: "orders:read")
            let both = try await gatehouse.token(app)
            let none = try await gatehouse.token(try await gatehouse.createApp())
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)
            try await withVendor(verifier) { vendor in
                let refused = try await vendor.call(.post, "/api/orders", token: readOnly)
                #expect(refused.status == .forbidden)
                #expect(refused.challenge == Challenge.insufficientScope("orders:read orders:write"))

                let noScopes = try await vendor.call("/api/orders", token: none)
                #expect(noScopes.status == .forbidden)
                #expect(noScopes.challenge == Challenge.insufficientScope("orders:read"))
                // Authenticated with no scopes: the authenticated-only route still answers.
                #expect(try await vendor.call("/api/me", token: none).status == .ok)

                #expect(try await vendor.call(.post, "/api/orders", token: both).status == .ok)
                #expect(try await vendor.call("/api/orders", token: both).seen?.scope == "orders:read orders:write")
            }
        }
    }

    @Test("RequireScopes without an authenticator before it fails closed (401)")
    func scopesWithoutAuthenticator() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            try await withVendor(GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)) { vendor in
                let answer = try await vendor.call("/scoped-only", token: token)
                #expect(answer.status == .unauthorized)
                #expect(answer.challenge == "Bearer")
            }
        }
    }

    // MARK: Keys

    @Test("After a key rotation, a token with the new kid verifies after one refetch; old tokens still verify")
    func rotation() async throws {
        try await withGatehouse { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read"])
            let clock = ManualClock()
            let keys = JWKSCache(clock: clock.function, fetch: JWKSCache.fetching(gatehouse.jwksURL))
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
            try await withVendor(verifier) { vendor in
                let before = try await gatehouse.token(app)
                #expect(try await vendor.call("/api/orders", token: before).status == .ok)
                #expect(await keys.fetchCount == 1)

                var tokens = [before]
                for algorithm in [SigningAlgorithm.rs256, .edDSA, .es256] {
                    let newKid = try await gatehouse.rotateKey(to: algorithm)
                    let after = try await gatehouse.token(app)
                    #expect(kid(of: after) == newKid)
                    #expect(JWS.parse(after)?.header.alg == algorithm.rawValue)
                    let fetches = await keys.fetchCount

                    // Within the interval the unknown kid is not fetched for.
                    expectInvalidToken(try await vendor.call("/api/orders", token: after), "\(algorithm) before the interval")
                    #expect(await keys.fetchCount == fetches)

                    clock.advance(by: .seconds(10))
                    #expect(try await vendor.call("/api/orders", token: after).status == .ok, "\(algorithm)")
                    #expect(await keys.fetchCount == fetches + 1)
                    // The earlier keys stay published, so every earlier token still verifies, from the cache.
                    for token in tokens {
                        #expect(try await vendor.call("/api/orders", token: token).status == .ok)
                    }
                    #expect(await keys.fetchCount == fetches + 1)
                    tokens.append(after)
                }
                #expect(Set(await keys.cachedKeyIDs) == (try await gatehouse.publishedKids()))
            }
        }
    }

    @Test("Unknown kids refetch at most once per interval, and concurrent misses share one fetch")
    func unknownKidRateLimit() async throws {
        try await withGatehouse { gatehouse in
            let token = try await gatehouse.token(try await gatehouse.createApp(scopes: ["orders:read"]))
            let clock = ManualClock()
            let fetches = Mutex(0)
            let http = JWKSCache.fetching(gatehouse.jwksURL)
            let keys = JWKSCache(minimumRefetchInterval: .seconds(30), clock: clock.function) {
                fetches.withLock { $0 += 1 }
                // Slow enough that the concurrent misses below overlap.
                try await Task.sleep(for: .milliseconds(200))
                return try await http()
            }
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
            try await withVendor(verifier) { vendor in
                #expect(try await vendor.call("/api/me", token: token).status == .ok)
                #expect(fetches.withLock { $0 } == 1)

                for _ in 0..<20 {
                    expectInvalidToken(try await vendor.call("/api/me", token: try foreignToken(issuer: gatehouse.issuer)))
                }
                #expect(fetches.withLock { $0 } == 1)

                clock.advance(by: .seconds(29))
                expectInvalidToken(try await vendor.call("/api/me", token: try foreignToken(issuer: gatehouse.issuer)))
                #expect(fetches.withLock { $0 } == 1)

                clock.advance(by: .seconds(1))
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await vendor.call("/api/me", token: try foreignToken(issuer: gatehouse.issuer)).status }
                    }
                    for try await status in group { #expect(status == .unauthorized) }
                }
                #expect(fetches.withLock { $0 } == 2)
                #expect(await keys.fetchCount == 2)

                // Known kids never fetch.
                for _ in 0..<5 { #expect(try await vendor.call("/api/me", token: token).status == .ok) }
                #expect(fetches.withLock { $0 } == 2)
            }
        }
    }

    @Test("A failed fetch keeps the keys already known")
    func failedFetchKeepsKeys() async throws {
        try await withGatehouse { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read"])
            let token = try await gatehouse.token(app)
            let clock = ManualClock()
            let failing = Mutex(false)
            let http = JWKSCache.fetching(gatehouse.jwksURL)
            let keys = JWKSCache(clock: clock.function) {
                if failing.withLock({ $0 }) { throw CancellationError() }
                return try await http()
            }
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: keys)
            #expect(await verifier.verify(token) != nil)

            failing.withLock { $0 = true }
            _ = try await gatehouse.rotateKey()
            let rotated = try await gatehouse.token(app)
            clock.advance(by: .seconds(10))
            #expect(await verifier.verify(rotated) == nil)
            #expect(await keys.fetchCount == 2)
            #expect(await verifier.verify(token) != nil)

            // Gatehouse unreachable altogether: same.
            let unreachable = JWKSCache(jwksURL: "http://127.0.0.1:1/oauth/jwks", timeout: .seconds(2))
            #expect(await GatehouseTokenVerifier(issuer: gatehouse.issuer, keys: unreachable).verify(token) == nil)

            failing.withLock { $0 = false }
            clock.advance(by: .seconds(10))
            #expect(await verifier.verify(rotated) != nil)
            #expect(await verifier.verify(token) != nil)
            #expect(await keys.fetchCount == 3)
        }
    }

    // MARK: Discovery

    @Test("discover(issuer:) finds the JWKS through RFC 8414 metadata and the verifier works end to end")
    func discovery() async throws {
        try await withDiscoverableGatehouse { issuer, adminKey in
            let verifier = try await GatehouseResourceServer.discover(issuer: issuer)
            #expect(verifier.issuer == issuer)
            #expect(verifier.audience == issuer)
            let metadata = try await GatehouseResourceServer.metadata(issuer: issuer)
            #expect(metadata.jwks_uri == issuer + "/oauth/jwks")
            #expect(metadata.introspection_endpoint == issuer + "/oauth/introspect")

            // An application and a token through the real HTTP API.
            try await withVendor(verifier) { vendor in
                let token = try await issueToken(issuer: issuer, adminKey: adminKey)
                let me = try await vendor.call("/api/me", token: token)
                #expect(me.status == .ok)
                #expect(me.seen?.scope == "orders:read")
            }
            // RFC 8414 §3.3: the metadata must name the issuer it was fetched for.
            let trailingSlash = issuer + "/"
            await #expect(throws: GatehouseResourceServerError.self) { try await GatehouseResourceServer.discover(issuer: trailingSlash) }
        }
    }

    @Test("Metadata naming another issuer is refused (RFC 8414 §3.3)")
    func discoveryIssuerMismatch() async throws {
        try await withGatehouse { gatehouse in
            // The server calls itself http://gatehouse.test; asked as http://localhost:PORT.
            await #expect(throws: GatehouseResourceServerError.self) {
                try await GatehouseResourceServer.discover(issuer: "http://localhost:\(gatehouse.port)")
            }
            await #expect(throws: GatehouseResourceServerError.self) { try await GatehouseResourceServer.discover(issuer: "not a url") }
            await #expect(throws: GatehouseResourceServerError.self) { try await GatehouseResourceServer.discover(issuer: "ftp://localhost") }
        }
    }
}

/// Creates an app and gets a token from a Gatehouse reached by plain HTTP.
private func issueToken(issuer: String, adminKey: String) async throws -> String {
    let app = try await post(
        issuer + "/admin/v1/apps", authorization: "Bearer \(adminKey)", contentType: "application/json",
        body: try JSONSerialization.data(withJSONObject: ["name": "discovered", "grantTypes": ["client_credentials"], "scopes": ["orders:read"]])
    )
    let clientId = try #require(app["clientId"] as? String)
    let secret = try #require(app["clientSecret"] as? String)
    let token = try await post(
        issuer + "/oauth/token", authorization: "Basic " + Data("\(clientId):\(secret)".utf8).base64EncodedString(),
        contentType: "application/x-www-form-urlencoded", body: Data("grant_type=client_credentials".utf8)
    )
    return try #require(token["access_token"] as? String)
}

private func post(_ url: String, authorization: String, contentType: String, body: Data) async throws -> [String: Any] {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Authorization", value: authorization)
    request.headers.add(name: "Content-Type", value: contentType)
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let data = try await response.body.collect(upTo: 1 << 20)
    return try #require(try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any])
}

@Suite("Resource-server library: the docs example")
struct ResourceServerDocsExampleTests {
    /// docs/enforcement.md, "Resource-server library", minus discovery and `runService`.
    static func docsRouter(_ verifier: GatehouseTokenVerifier, checkURL: String) -> Router<BasicGatehouseRequestContext> {
        let router = Router(context: BasicGatehouseRequestContext.self)
        let gatehouse = GatehouseDecisionClient(checkURL: checkURL)  // the same decision as /v1/check
        let api = router.group("v1").add(middleware: GatehouseAuthenticator(verifier: verifier, enforcement: .checkedByGatehouse(gatehouse)))
        api.get("me") { _, context in context.gatehouseClaims!.sub }              // any valid token
        api.group("orders").add(middleware: RequireScopes("orders:read"))
            .get { _, context in "orders of \(context.gatehouseClaims!.org)" }
        api.group("orders").add(middleware: RequireScopes("orders:write"))
            .post { _, _ in Response(status: .created) }
        return router
    }

    @Test("The documented router admits, refuses and scopes as documented")
    func docsExample() async throws {
        try await withGatehouse { gatehouse in
            let app = try await gatehouse.createApp(scopes: ["orders:read", "orders:write"])
            let reader = try await gatehouse.token(app, scope: "orders:read")
            let verifier = GatehouseTokenVerifier(issuer: gatehouse.issuer, jwksURL: gatehouse.jwksURL)
            try await Application(router: Self.docsRouter(verifier, checkURL: gatehouse.checkURL)).test(.router) { client in
                let vendor = VendorClient(client: client)
                let me = try await vendor.call("/v1/me", token: reader)
                #expect(String(buffer: me.body) == app.clientId)
                #expect(try await vendor.call("/v1/orders", token: reader).status == .ok)
                let write = try await vendor.call(.post, "/v1/orders", token: reader)
                #expect(write.status == .forbidden)
                #expect(write.challenge == Challenge.insufficientScope("orders:write"))
                #expect(try await vendor.call(.post, "/v1/orders", token: try await gatehouse.token(app)).status == .created)
                #expect(try await vendor.call("/v1/me").status == .unauthorized)
            }
        }
    }
}
