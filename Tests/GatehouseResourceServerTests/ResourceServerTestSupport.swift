import Foundation
import GatehouseCore
import GatehouseResourceServer
import GatehouseServer
import GatehouseStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

// MARK: A real Gatehouse

/// A running Gatehouse (its real router on a real port) as the resource-server tests see it.
struct LiveGatehouse: Sendable {
    let client: any TestClientProtocol
    let adminKey: String
    let configuration: ServerConfiguration
    /// The port the server really listens on.
    let port: Int

    var issuer: String { configuration.issuer }
    var audience: String { configuration.audience }
    /// Where a resource server reaches the keys (the issuer's host need not resolve).
    var jwksURL: String { "http://localhost:\(port)/oauth/jwks" }
    /// Where a resource server asks for decisions.
    var checkURL: String { "http://localhost:\(port)/v1/check" }

    struct Reply {
        let status: HTTPResponse.Status
        let object: [String: Any]
        let text: String
        func string(_ key: String) -> String? { object[key] as? String }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: [String: Any]? = nil, form: [(String, String)]? = nil, authorization: String? = nil) async throws -> Reply {
        var headers = HTTPFields()
        headers[.authorization] = authorization ?? "Bearer \(adminKey)"
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved)!)" }.joined(separator: "&"))
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        let text = String(buffer: response.body)
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return Reply(status: response.status, object: object, text: text)
    }

    struct App: Sendable {
        let clientId: String
        let secret: String
    }

    /// A client_credentials application of the default organisation.
    func createApp(scopes: [String] = [], accessTokenTTL: Int? = nil, policy: [String: [String]] = [:]) async throws -> App {
        var fields: [String: Any] = ["name": "app-\(UUID().uuidString.prefix(8))", "grantTypes": ["client_credentials"], "scopes": scopes]
        if let accessTokenTTL { fields["accessTokenTTL"] = accessTokenTTL }
        fields.merge(policy) { $1 }
        let reply = try await send(.post, "/admin/v1/apps", json: fields)
        try #require(reply.status == .created, "creating an app: \(reply.status) \(reply.text)")
        return App(clientId: try #require(reply.string("clientId")), secret: try #require(reply.string("clientSecret")))
    }

    /// An access token from `POST /oauth/token` (client_credentials).
    func token(_ app: App, scope: String? = nil) async throws -> String {
        let basic = "Basic " + Data("\(app.clientId):\(app.secret)".utf8).base64EncodedString()
        let reply = try await send(.post, "/oauth/token", form: [("grant_type", "client_credentials")] + (scope.map { [("scope", $0)] } ?? []), authorization: basic)
        try #require(reply.status == .ok, "token: \(reply.status) \(reply.text)")
        return try #require(reply.string("access_token"))
    }

    /// `POST /admin/v1/keys/rotate`; the new active key's `kid`.
    func rotateKey(to algorithm: SigningAlgorithm? = nil) async throws -> String {
        let reply = try await send(.post, "/admin/v1/keys/rotate", json: algorithm.map { ["algorithm": $0.rawValue] })
        try #require(reply.status == .created, "rotate: \(reply.status) \(reply.text)")
        return try #require(reply.string("kid"))
    }

    /// The kids Gatehouse publishes now.
    func publishedKids() async throws -> Set<String> {
        let response = try await client.executeRequest(uri: "/oauth/jwks", method: .get, headers: [:], body: nil)
        let set = try JSONDecoder().decode(JWKSet.self, from: Data(response.body.readableBytesView))
        return Set(set.keys.map(\.kid))
    }
}

/// A scratch database directory.
private func scratchDatabase() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-rs-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// Runs a real Gatehouse (`buildApplication`, live on a free port) for `body`.
///
/// The live test server always listens on port 0, so the issuer is set explicitly: it names the
/// server in tokens, while ``LiveGatehouse/jwksURL`` is where it really is.
func withGatehouse<Value: Sendable>(
    issuer: String = "http://gatehouse.test", audience: String? = nil, signingAlgorithm: SigningAlgorithm = .es256,
    trustedProxies: [CIDR] = [], _ body: @Sendable (LiveGatehouse) async throws -> Value
) async throws -> Value {
    let directory = try scratchDatabase()
    defer { try? FileManager.default.removeItem(at: directory) }
    let adminKey = SecretFormat.generate(.adminKey)
    var configuration = ServerConfiguration(
        database: .sqlite(path: directory.appendingPathComponent("gatehouse.sqlite").path), issuer: issuer,
        bootstrapAdminKey: adminKey, logLevel: .error, passwordRounds: 1000, signingAlgorithm: signingAlgorithm, audience: audience
    )
    configuration.trustedProxies = trustedProxies
    let settings = configuration
    let app = try await buildApplication(settings)
    return try await app.test(.live) { client in
        let port = try #require(client.port)
        return try await body(LiveGatehouse(client: client, adminKey: adminKey, configuration: settings, port: port))
    }
}

/// Runs a real Gatehouse on a port chosen beforehand, with the default issuer
/// `http://127.0.0.1:PORT`, so that discovery (`<issuer>/.well-known/…`) reaches it.
func withDiscoverableGatehouse<Value: Sendable>(_ body: @Sendable (_ issuer: String, _ adminKey: String) async throws -> Value) async throws -> Value {
    let directory = try scratchDatabase()
    defer { try? FileManager.default.removeItem(at: directory) }
    let adminKey = SecretFormat.generate(.adminKey)
    let port = try await freePort()
    let configuration = ServerConfiguration(
        host: "127.0.0.1", port: port, database: .sqlite(path: directory.appendingPathComponent("gatehouse.sqlite").path),
        bootstrapAdminKey: adminKey, logLevel: .error, passwordRounds: 1000
    )
    let app = try await buildApplication(configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        defer { group.cancelAll() }
        // Wait for the listener.
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await GatehouseResourceServer.metadata(issuer: configuration.issuer, timeout: .seconds(1))) != nil
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(ready, "Gatehouse did not start on port \(port)")
        return try await body(configuration.issuer, adminKey)
    }
}

/// A TCP port free right now on 127.0.0.1.
private func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(channel.localAddress?.port)
    try await channel.close()
    return port
}

// MARK: The vendor's app

/// What the vendor's handler saw.
struct Seen: ResponseCodable {
    var sub: String
    var client_id: String
    var scope: String
    var org: String
}

/// A vendor API guarded by the library: `/api/me` needs a token, `GET /api/orders` also
/// `orders:read`, `POST /api/orders` `orders:read` and `orders:write`; `/scoped-only` requires a
/// scope with no authenticator before it; `/public` needs nothing.
func vendorRouter(_ verifier: GatehouseTokenVerifier, realm: String? = nil) -> Router<BasicGatehouseRequestContext> {
    let router = Router(context: BasicGatehouseRequestContext.self)
    router.get("public") { _, _ in "hello" }
    router.group("scoped-only").add(middleware: RequireScopes("orders:read", realm: realm)).get { _, _ in "should not be reached" }
    let api = router.group("api").add(middleware: GatehouseAuthenticator(verifier: verifier, enforcement: .scopesOnly, realm: realm))
    api.get("me") { _, context in try Seen(#require(context.gatehouseClaims)) }
    api.group("orders").add(middleware: RequireScopes("orders:read", realm: realm)).get { _, context in try Seen(#require(context.gatehouseClaims)) }
    api.group("orders").add(middleware: RequireScopes("orders:read", "orders:write", realm: realm)).post { _, context in try Seen(#require(context.gatehouseClaims)) }
    return router
}

extension Seen {
    init(_ claims: AccessTokenClaims) {
        self.init(sub: claims.sub, client_id: claims.client_id, scope: claims.scope, org: claims.org)
    }
}

/// Runs the vendor app (router test client) for `body`.
func withVendor<Value: Sendable>(
    _ verifier: GatehouseTokenVerifier, realm: String? = nil, _ body: @Sendable (VendorClient) async throws -> Value
) async throws -> Value {
    try await Application(router: vendorRouter(verifier, realm: realm)).test(.router) { client in
        try await body(VendorClient(client: client))
    }
}

struct VendorClient: Sendable {
    let client: any TestClientProtocol

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
        var challenge: String? { headers[.wwwAuthenticate] }
        var seen: Seen? { try? JSONDecoder().decode(Seen.self, from: Data(body.readableBytesView)) }
    }

    /// A request with `Authorization: Bearer <token>` (or exactly `authorization`, or none).
    func call(_ uri: String, token: String? = nil, authorization: [String] = []) async throws -> Answer {
        try await call(.get, uri, token: token, authorization: authorization)
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, authorization: [String] = []) async throws -> Answer {
        var headers = HTTPFields()
        if let token { headers.append(HTTPField(name: .authorization, value: "Bearer \(token)")) }
        for value in authorization { headers.append(HTTPField(name: .authorization, value: value)) }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: nil)
        return Answer(status: response.status, headers: response.headers, body: response.body)
    }
}

/// RFC 6750 §3.1 challenges.
enum Challenge {
    static let invalidToken = #"Bearer error="invalid_token""#
    static func insufficientScope(_ scope: String) -> String { #"Bearer error="insufficient_scope", scope="\#(scope)""# }
}

/// Checks a 401 `invalid_token` answer.
func expectInvalidToken(_ answer: VendorClient.Answer, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(answer.status == .unauthorized, comment, sourceLocation: sourceLocation)
    #expect(answer.challenge == Challenge.invalidToken, comment, sourceLocation: sourceLocation)
    #expect(answer.headers[.cacheControl] == "no-store", comment, sourceLocation: sourceLocation)
}

// MARK: Time and tokens

/// A clock a test moves by hand.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)

    func now() -> ContinuousClock.Instant { start + offset.withLock { $0 } }
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
    var function: @Sendable () -> ContinuousClock.Instant { { self.now() } }
}

/// A token signed by a key Gatehouse never published, otherwise like one of `issuer`'s.
func foreignToken(issuer: String, audience: String? = nil, scope: String = "orders:read", key: SigningKey? = nil) throws -> String {
    let key = try key ?? SigningKey.generate(.es256)
    let now = Int(Date().timeIntervalSince1970)
    let claims = AccessTokenClaims(
        iss: issuer, sub: "intruder", aud: audience ?? issuer, exp: now + 600, iat: now, nbf: now, jti: UUID().uuidString,
        client_id: "intruder", scope: scope, org: "org"
    )
    return try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: AccessTokenClaims.type, with: key)
}

/// The header `kid` of a token.
func kid(of token: String) -> String? { JWS.parse(token)?.header.kid }
