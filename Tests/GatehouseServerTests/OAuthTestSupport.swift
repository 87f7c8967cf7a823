import Foundation
import GatehouseCore
@testable import GatehouseServer
import GatehouseStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

// MARK: Servers

extension Sandbox {
    /// The test configuration with the OAuth knobs: issuer, signing algorithm, master key.
    func oauthConfiguration(issuer: String? = nil, signingAlgorithm: SigningAlgorithm = .es256, masterKey: MasterKey? = nil) -> ServerConfiguration {
        ServerConfiguration(
            database: .sqlite(path: databasePath), issuer: issuer, masterKey: masterKey, bootstrapAdminKey: adminKey,
            logLevel: .error, passwordRounds: 1000, signingAlgorithm: signingAlgorithm
        )
    }
}

/// A running test server as the OAuth tests see it.
struct OAuthServer: Sendable {
    let api: AdminClient
    let configuration: ServerConfiguration
    /// The server's signing keys as they were when it started, read from its database: lets a test
    /// mint tokens the server itself would accept (or that differ from one in exactly one way).
    let keys: SigningKeyRing

    var issuer: String { configuration.issuer }
    var audience: String { configuration.audience }
}

let quietLogger = Logger(label: "gatehouse-oauth-tests") { _ in SwiftLogNoOpLogHandler() }

/// Builds a server with `buildApplication` on a fresh database and runs `body` against it.
func withOAuthServer<Value: Sendable>(
    _ setup: TestingSetup = .router, issuer: String? = nil, signingAlgorithm: SigningAlgorithm = .es256, masterKey: MasterKey? = nil,
    _ body: @Sendable (OAuthServer) async throws -> Value
) async throws -> Value {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let configuration = sandbox.oauthConfiguration(issuer: issuer, signingAlgorithm: signingAlgorithm, masterKey: masterKey)
    return try await withOAuthServer(configuration, sandbox: sandbox, setup: setup, body)
}

/// Builds a server with `configuration` on `sandbox`'s database (which may hold an earlier server's data).
func withOAuthServer<Value: Sendable>(
    _ configuration: ServerConfiguration, sandbox: Sandbox, setup: TestingSetup = .router,
    _ body: @Sendable (OAuthServer) async throws -> Value
) async throws -> Value {
    let app = try await buildApplication(configuration)
    let keys = try await readSigningKeys(configuration)
    return try await app.test(setup) { client in
        try await body(OAuthServer(api: AdminClient(client: client, key: sandbox.adminKey), configuration: configuration, keys: keys))
    }
}

/// The signing keys in `configuration`'s database, through a second connection that is closed again.
func readSigningKeys(_ configuration: ServerConfiguration) async throws -> SigningKeyRing {
    let database = try await Database.open(configuration.database, logger: quietLogger)
    do {
        let keys = try await SigningKeyRing(store: database.store, masterKey: configuration.masterKey, algorithm: configuration.signingAlgorithm, now: Date())
        try await database.close()
        return keys
    } catch {
        try? await database.close()
        throw error
    }
}

// MARK: Clients

/// An application as a client of the token endpoint.
struct OAuthApp: Sendable {
    let id: String
    let clientId: String
    let secret: String
    let organisation: String
}

/// How a client authenticates (RFC 6749 §2.3.1).
enum ClientAuth: Sendable, CustomStringConvertible {
    case basic
    case post

    var description: String { self == .basic ? "client_secret_basic" : "client_secret_post" }
}

/// Who calls the introspection or revocation endpoint.
enum OAuthCaller: Sendable {
    case app(OAuthApp, ClientAuth = .basic)
    /// An API user: client_id = username, client_secret = password.
    case apiUser(String, String)
    case admin
    case none
    case header(String)
}

/// `application/x-www-form-urlencoded` component encoding (unreserved characters kept).
func formEncode(_ text: String) -> String {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: unreserved)!
}

func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&"))
}

/// `Authorization: Basic` per RFC 6749 §2.3.1 (each half form-encoded first).
func basicAuthorization(_ id: String, _ secret: String) -> String {
    "Basic " + Data("\(formEncode(id)):\(formEncode(secret))".utf8).base64EncodedString()
}

extension OAuthServer {
    /// A raw POST: any body, content type and headers.
    func send(
        _ uri: String, body: ByteBuffer?, contentType: String? = "application/x-www-form-urlencoded",
        authorization: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        try await send(.post, uri, body: body, contentType: contentType, authorization: authorization, headers: extra)
    }

    /// A raw request: any method, body, content type and headers.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer?, contentType: String? = "application/x-www-form-urlencoded",
        authorization: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let contentType { headers[.contentType] = contentType }
        if let authorization { headers[.authorization] = authorization }
        let response = try await api.client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// A form POST with the caller's credentials (and `headers`, such as `X-Forwarded-For`).
    func form(_ uri: String, _ fields: [(String, String)], as caller: OAuthCaller, headers: HTTPFields = [:]) async throws -> Reply {
        var fields = fields
        var authorization: String?
        switch caller {
        case .app(let app, .basic): authorization = basicAuthorization(app.clientId, app.secret)
        case .app(let app, .post): fields += [("client_id", app.clientId), ("client_secret", app.secret)]
        case .apiUser(let username, let password): authorization = basicAuthorization(username, password)
        case .admin: authorization = "Bearer \(api.key)"
        case .none: break
        case .header(let value): authorization = value
        }
        return try await send(uri, body: formBody(fields), authorization: authorization, headers: headers)
    }

    func token(_ fields: [(String, String)], as caller: OAuthCaller) async throws -> Reply {
        try await form("/oauth/token", fields, as: caller)
    }

    func token(_ app: OAuthApp, _ auth: ClientAuth = .basic, _ fields: [(String, String)]) async throws -> Reply {
        try await token(fields, as: .app(app, auth))
    }

    func clientCredentials(_ app: OAuthApp, _ auth: ClientAuth = .basic, scope: String? = nil) async throws -> Reply {
        try await token(app, auth, [("grant_type", "client_credentials")] + (scope.map { [("scope", $0)] } ?? []))
    }

    func password(_ app: OAuthApp, username: String, password: String, scope: String? = nil) async throws -> Reply {
        try await token(app, .basic, [("grant_type", "password"), ("username", username), ("password", password)] + (scope.map { [("scope", $0)] } ?? []))
    }

    func refresh(_ app: OAuthApp, _ refreshToken: String, scope: String? = nil) async throws -> Reply {
        try await token(app, .basic, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)] + (scope.map { [("scope", $0)] } ?? []))
    }

    func introspect(_ token: String, as caller: OAuthCaller) async throws -> Reply {
        try await form("/oauth/introspect", [("token", token)], as: caller)
    }

    func revoke(_ token: String, as caller: OAuthCaller) async throws -> Reply {
        try await form("/oauth/revoke", [("token", token)], as: caller)
    }

    /// Whether the server calls `token` active, as seen by an admin.
    func isActive(_ token: String) async throws -> Bool {
        let reply = try await introspect(token, as: .admin)
        try #require(reply.status == .ok, "introspect: \(reply.status) \(reply.text)")
        return reply["active"] as? Bool == true
    }

    // MARK: fixtures

    /// Creates an application and returns it as a client; the create must answer 201.
    func createApp(
        name: String = "app", grantTypes: [String] = ["client_credentials"], scopes: [String] = [], organisation: String? = nil,
        accessTokenTTL: Int? = nil
    ) async throws -> OAuthApp {
        var fields: [String: Any] = ["name": name, "grantTypes": grantTypes, "scopes": scopes]
        if let organisation { fields["organisation"] = organisation }
        if let accessTokenTTL { fields["accessTokenTTL"] = accessTokenTTL }
        let created = try await api.createApplication(fields)
        return OAuthApp(
            id: try #require(created["id"] as? String), clientId: try #require(created["clientId"] as? String),
            secret: try #require(created["clientSecret"] as? String), organisation: try #require(created["organisation"] as? String)
        )
    }

    /// Creates a user and returns its id; the create must answer 201.
    func createUser(_ username: String, password: String = OAuthFixtures.password, organisation: String? = nil, apiUser: Bool = false) async throws -> String {
        var fields: [String: Any] = ["username": username, "password": password, "apiUser": apiUser]
        if let organisation { fields["organisation"] = organisation }
        return try #require(try await api.createUser(fields)["id"] as? String)
    }

    /// The id of the `default` organisation.
    func defaultOrganisation() async throws -> String {
        try #require(try await api.get("/admin/v1/orgs/default").string("id"))
    }

    /// An access token of `app` through client_credentials; must answer 200.
    func accessToken(_ app: OAuthApp, scope: String? = nil) async throws -> String {
        let reply = try await clientCredentials(app, scope: scope)
        try #require(reply.status == .ok, "client_credentials: \(reply.status) \(reply.text)")
        return try #require(reply.string("access_token"))
    }

    /// An access and refresh token of `username` through the password grant; must answer 200 with both.
    func passwordTokens(_ app: OAuthApp, username: String, password: String = OAuthFixtures.password, scope: String? = nil) async throws -> (access: String, refresh: String) {
        let reply = try await self.password(app, username: username, password: password, scope: scope)
        try #require(reply.status == .ok, "password: \(reply.status) \(reply.text)")
        return (try #require(reply.string("access_token")), try #require(reply.string("refresh_token")))
    }

    /// A token signed with the server's own active key, with these claims and this header `typ`.
    func mint(_ claims: AccessTokenClaims, type: String = AccessTokenClaims.type) throws -> String {
        try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: type, with: keys.active)
    }

    /// Claims the server would issue for `app` at `now`, lasting `lifetime` seconds.
    func claims(for app: OAuthApp, now: Date = Date(), lifetime: Int = 600) -> AccessTokenClaims {
        let seconds = Int(now.timeIntervalSince1970)
        return AccessTokenClaims(
            iss: issuer, sub: app.clientId, aud: audience, exp: seconds + lifetime, iat: seconds, nbf: seconds,
            jti: UUID().uuidString.lowercased(), client_id: app.clientId, scope: "", org: app.organisation
        )
    }
}

enum OAuthFixtures {
    static let password = "correct horse battery staple"
}

// MARK: Answers

/// A compact JWS taken apart for inspection (nothing verified).
struct DecodedJWT {
    let header: [String: Any]
    let claims: [String: Any]
    /// The payload JSON exactly as signed.
    let payloadText: String

    init(_ token: String) throws {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(segments.count == 3, "a JWS has three segments: \(token)")
        let header = try #require(Base64URL.decode(segments[0]))
        let payload = try #require(Base64URL.decode(segments[1]))
        self.header = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        self.claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        self.payloadText = String(decoding: payload, as: UTF8.self)
    }

    func string(_ claim: String) -> String? { claims[claim] as? String }
    func int(_ claim: String) -> Int? { claims[claim] as? Int }

    /// The raw JSON text of a top-level number claim, as written.
    func rawNumber(_ claim: String) -> String? {
        guard let range = payloadText.range(of: "\"\(claim)\":") else { return nil }
        return String(payloadText[range.upperBound...].prefix { $0 != "," && $0 != "}" })
    }
}

/// Checks an RFC 6749 §5.2 error answer: status, `error`, a description, JSON, `no-store`, and
/// `WWW-Authenticate: Basic` exactly when `basicChallenge` says so (nil: not checked).
func expectOAuthError(
    _ reply: Reply, _ status: HTTPResponse.Status, _ code: String, basicChallenge: Bool? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.string("error") == code, "\(reply.text)", sourceLocation: sourceLocation)
    #expect((reply.string("error_description") ?? "").isEmpty == false, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    #expect(reply.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    switch basicChallenge {
    case .some(true):
        #expect(reply.headers[.wwwAuthenticate]?.lowercased().hasPrefix("basic") == true, "\(reply.headers)", sourceLocation: sourceLocation)
    case .some(false):
        #expect(reply.headers[.wwwAuthenticate] == nil, "\(reply.headers)", sourceLocation: sourceLocation)
    case nil:
        break
    }
}

/// Checks that an introspection answer is exactly `{"active":false}`.
func expectInactive(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == .ok, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.object.count == 1, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply["active"] as? Bool == false, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.text.replacingOccurrences(of: " ", with: "") == #"{"active":false}"#, sourceLocation: sourceLocation)
}
