import Foundation
@testable import GatehouseCore
@testable import GatehouseServer
import GatehouseStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

// MARK: Support

/// One organisation's consumer set-up: an integrator app with an API key, a consumer with both
/// kinds of credential.
struct ConsumerFixture: Sendable {
    let app: OAuthApp
    let apiKey: String
    let apiKeyId: String
    let userId: String
    let code: String
    let identifier: String
    let passCode: String
    let organisationId: String
    /// The ids of the authentication-code and the pass-code credentials.
    let codeId: String
    let passCodeId: String
}

/// `Authorization: Basic base64(<key>:)`: the API key as the user name, an empty password.
func consumerBasic(_ key: String, password: String = "") -> String {
    "Basic " + Data("\(key):\(password)".utf8).base64EncodedString()
}

extension OAuthServer {
    static let consumerPath = "/authentication/consumer_application_key/token"

    /// Creates an API key through the admin API; returns its id and the key.
    func createAPIKey(_ fields: [String: Any]) async throws -> (id: String, key: String) {
        let reply = try await api.post("/admin/v1/apikeys", fields)
        try #require(reply.status == .created, "creating API key: \(reply.status) \(reply.text)")
        return (try #require(reply.string("id")), try #require(reply.string("key")))
    }

    /// A user with units, a password-grant app with scopes, an API key of the app with one scope,
    /// an authentication code and an identifier + pass code of the user.
    func consumerFixture(
        organisation: String = "default", username: String = "alice", identifier: String = "alice-card"
    ) async throws -> ConsumerFixture {
        let app = try await createApp(
            name: "integrator", grantTypes: ["client_credentials", "password", "refresh_token"], scopes: ["orders:read", "orders:write"],
            organisation: organisation
        )
        let user = try await api.createUser([
            "username": username, "password": OAuthFixtures.password, "organisation": organisation, "units": ["north", "sales"],
        ])
        let userId = try #require(user["id"] as? String)
        let key = try await createAPIKey(["name": "consumer app key", "application": app.id, "scopes": ["orders:read"]])
        let code = try await api.createConsumerCredential(["user": userId, "kind": "authentication_code"])
        let pass = try await api.createConsumerCredential(["user": userId, "kind": "pass_code", "identifier": identifier])
        return ConsumerFixture(
            app: app, apiKey: key.key, apiKeyId: key.id, userId: userId, code: try #require(code["authentication_code"] as? String),
            identifier: identifier, passCode: try #require(pass["pass_code"] as? String), organisationId: app.organisation,
            codeId: try #require(code["id"] as? String), passCodeId: try #require(pass["id"] as? String)
        )
    }

    /// POSTs `fields` as JSON with `Authorization: Basic base64(<apiKey>:)` (none when nil).
    func consumerToken(apiKey: String?, _ fields: [String: Any]) async throws -> Reply {
        try await send(Self.consumerPath, body: jsonBody(fields), contentType: "application/json", authorization: apiKey.map { consumerBasic($0) })
    }

    /// A raw request to the consumer token endpoint.
    func consumerToken(authorization: String?, body: ByteBuffer?, contentType: String? = "application/json") async throws -> Reply {
        try await send(Self.consumerPath, body: body, contentType: contentType, authorization: authorization)
    }
}

extension Reply {
    var envelopeStatus: [String: Any] { object["status"] as? [String: Any] ?? [:] }
    var envelopeCode: String? { envelopeStatus["code"] as? String }
    var envelopeMessage: String { envelopeStatus["message"] as? String ?? "" }
}

/// Checks a success envelope exactly and returns the token.
func expectConsumerToken(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(reply.status == .ok, "\(reply.status) \(reply.text)", sourceLocation: sourceLocation)
    #expect(Set(reply.object.keys) == ["data", "status"], sourceLocation: sourceLocation)
    let data = try #require(reply["data"] as? [String: Any], sourceLocation: sourceLocation)
    #expect(Set(data.keys) == ["token"], sourceLocation: sourceLocation)
    let status = reply.envelopeStatus
    #expect(status.count == 3, sourceLocation: sourceLocation)
    #expect(status["code"] as? String == "OK", sourceLocation: sourceLocation)
    #expect(status["description"] as? String == "", sourceLocation: sourceLocation)
    #expect(status["message"] as? String == "", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    #expect(reply.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    return try #require(data["token"] as? String, sourceLocation: sourceLocation)
}

/// Checks an error envelope: the status, `data: null`, the code, a description and a message
/// (containing `mentioning` when given).
func expectConsumerError(
    _ reply: Reply, _ status: HTTPResponse.Status, _ code: String, mentioning: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(Set(reply.object.keys) == ["data", "status"], "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.isNull("data"), "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.envelopeCode == code, "\(reply.text)", sourceLocation: sourceLocation)
    #expect((reply.envelopeStatus["description"] as? String ?? "").isEmpty == false, sourceLocation: sourceLocation)
    #expect(!reply.envelopeMessage.isEmpty, "\(reply.text)", sourceLocation: sourceLocation)
    if let mentioning {
        #expect(reply.envelopeMessage.contains(mentioning), "\(reply.text)", sourceLocation: sourceLocation)
    }
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    #expect(reply.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    #expect(!reply.text.contains("eyJ"), "no token in an error", sourceLocation: sourceLocation)
}

// MARK: Tests

@Suite("Consumer application key flow")
struct ConsumerTokenTests {
    @Test("An authentication code gives a 7200-second consumer token with its own typ, for the user, through the key's app")
    func authenticationCode() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let before = Int(Date().timeIntervalSince1970)
            let reply = try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]])
            let after = Int(Date().timeIntervalSince1970)
            let token = try expectConsumerToken(reply)

            let jwt = try DecodedJWT(token)
            #expect(jwt.header["typ"] as? String == "gh-consumer+jwt")
            #expect(jwt.header["alg"] as? String == "ES256")
            #expect(jwt.header["kid"] as? String == server.keys.active.kid)
            #expect(Set(jwt.claims.keys) == [
                "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "org", "api_key_id", "consumer_credential_id",
            ])
            #expect(jwt.string("api_key_id") == fixture.apiKeyId, "the sources the token lives on")
            #expect(jwt.string("consumer_credential_id") == fixture.codeId)
            #expect(jwt.string("iss") == server.issuer)
            #expect(jwt.string("aud") == server.audience)
            #expect(jwt.string("sub") == fixture.userId)
            #expect(jwt.string("client_id") == fixture.app.clientId)
            #expect(jwt.string("scope") == "orders:read")
            #expect(jwt.string("org") == fixture.organisationId)
            let iat = try #require(jwt.int("iat"))
            #expect((before...after).contains(iat))
            #expect(jwt.int("exp") == iat + 7200)
            #expect(jwt.int("nbf") == iat)
            #expect(jwt.rawNumber("exp") == String(iat + 7200))

            // It verifies as a consumer token, and never as an access token.
            let now = Date()
            let key = { (kid: String) in server.keys.verificationKey(kid: kid) }
            let consumer = ConsumerTokenVerifier(issuer: server.issuer, audience: server.audience).verify(token, now: now, key: key)
            #expect(consumer?.sub == fixture.userId)
            #expect(AccessTokenVerifier(issuer: server.issuer, audience: server.audience).verify(token, now: now, key: key) == nil)
            // Nor at introspection, by an admin or by the app.
            expectInactive(try await server.introspect(token, as: .admin))
            expectInactive(try await server.introspect(token, as: .app(fixture.app)))
            // Each exchange is a new token.
            let again = try expectConsumerToken(try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]]
            ))
            #expect(try DecodedJWT(again).string("jti") != jwt.string("jti"))
        }
    }

    @Test("An identifier and pass code give a consumer token for the user")
    func passCode() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let reply = try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["identifier": fixture.identifier, "pass_code": fixture.passCode]]
            )
            let jwt = try DecodedJWT(try expectConsumerToken(reply))
            #expect(jwt.header["typ"] as? String == "gh-consumer+jwt")
            #expect(jwt.string("sub") == fixture.userId)
            #expect(jwt.string("client_id") == fixture.app.clientId)
            #expect(try #require(jwt.int("exp")) - (try #require(jwt.int("iat"))) == 7200)
            #expect(jwt.string("unit") == nil)
        }
    }

    @Test("A unit of the user is carried in the token; any other is UNIT_NOT_ALLOWED")
    func units() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let allowed = try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code], "unit": "north"]
            )
            #expect(try DecodedJWT(try expectConsumerToken(allowed)).string("unit") == "north")
            let withPassCode = try await server.consumerToken(apiKey: fixture.apiKey, [
                "access_token_identifier": ["identifier": fixture.identifier, "pass_code": fixture.passCode], "unit": "sales",
            ])
            #expect(try DecodedJWT(try expectConsumerToken(withPassCode)).string("unit") == "sales")

            for unit in ["south", "North", "north "] {
                let refused = try await server.consumerToken(
                    apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code], "unit": unit]
                )
                expectConsumerError(refused, .forbidden, "UNIT_NOT_ALLOWED")
            }
            // The unit is checked only once the credential verified.
            let wrong = try await server.consumerToken(apiKey: fixture.apiKey, [
                "access_token_identifier": ["identifier": fixture.identifier, "pass_code": "00000000x"], "unit": "south",
            ])
            expectConsumerError(wrong, .unauthorized, "INVALID_CREDENTIALS")
        }
    }

    @Test("A user's access token is exchanged for a consumer token in the user's organisation (id or name)")
    func jwtExchange() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let access = try await server.passwordTokens(fixture.app, username: "alice").access
            for organisation in ["default", fixture.organisationId] {
                let reply = try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": organisation])
                let jwt = try DecodedJWT(try expectConsumerToken(reply))
                #expect(jwt.header["typ"] as? String == "gh-consumer+jwt")
                #expect(jwt.string("sub") == fixture.userId)
                #expect(jwt.string("org") == fixture.organisationId)
                #expect(jwt.string("client_id") == fixture.app.clientId)
                #expect(jwt.string("scope") == "orders:read")
                #expect(try #require(jwt.int("exp")) - (try #require(jwt.int("iat"))) == 7200)
            }
            let withUnit = try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": "default", "unit": "sales"])
            #expect(try DecodedJWT(try expectConsumerToken(withUnit)).string("unit") == "sales")
            let badUnit = try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": "default", "unit": "south"])
            expectConsumerError(badUnit, .forbidden, "UNIT_NOT_ALLOWED")
        }
    }

    @Test("The jwt exchange refuses other organisations, and tokens that are not active user access tokens")
    func jwtRefusals() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            try await server.api.createOrganisation("acme")
            let acme = try await server.consumerFixture(organisation: "acme", username: "carol", identifier: "carol-card")
            let access = try await server.passwordTokens(fixture.app, username: "alice").access

            // The named organisation must be the key's and the user's.
            expectConsumerError(
                try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": "acme"]), .forbidden, "ORGANISATION_NOT_ALLOWED"
            )
            expectConsumerError(
                try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": "nowhere"]), .forbidden, "ORGANISATION_NOT_ALLOWED"
            )
            expectConsumerError(
                try await server.consumerToken(apiKey: acme.apiKey, ["jwt": access, "organisation": "default"]), .forbidden, "ORGANISATION_NOT_ALLOWED"
            )
            expectConsumerError(
                try await server.consumerToken(apiKey: acme.apiKey, ["jwt": access, "organisation": "acme"]), .forbidden, "ORGANISATION_NOT_ALLOWED"
            )

            // Not a user's token: an application's own token, a consumer token, garbage, a refresh token.
            let appToken = try await server.accessToken(fixture.app)
            let consumer = try expectConsumerToken(try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]]
            ))
            let refresh = try await server.passwordTokens(fixture.app, username: "alice").refresh
            for jwt in [appToken, consumer, "not.a.jwt", refresh, String(access.dropLast(2))] {
                expectConsumerError(
                    try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": jwt, "organisation": "default"]), .unauthorized, "INVALID_CREDENTIALS"
                )
            }

            // A revoked token, and the token of a user disabled since.
            let revoked = try await server.passwordTokens(fixture.app, username: "alice").access
            #expect(try await server.revoke(revoked, as: .app(fixture.app)).status == .ok)
            expectConsumerError(
                try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": revoked, "organisation": "default"]), .unauthorized, "INVALID_CREDENTIALS"
            )
            #expect(try await server.api.patch("/admin/v1/users/\(fixture.userId)", ["disabled": true]).status == .ok)
            expectConsumerError(
                try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": access, "organisation": "default"]), .unauthorized, "INVALID_CREDENTIALS"
            )
        }
    }

    @Test("A user's API key gives tokens with client_id apikey:<id> and the key's scopes")
    func userAPIKey() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let owner = try await server.createUser("integrator")
            let key = try await server.createAPIKey(["name": "user key", "user": owner, "scopes": ["consumers"]])
            let reply = try await server.consumerToken(apiKey: key.key, ["access_token_identifier": ["authentication_code": fixture.code]])
            let jwt = try DecodedJWT(try expectConsumerToken(reply))
            #expect(jwt.string("client_id") == "apikey:\(key.id)")
            #expect(jwt.string("sub") == fixture.userId)
            #expect(jwt.string("scope") == "consumers")
        }
    }

    @Test("Every bad API key is 401 INVALID_API_KEY with a Basic challenge")
    func invalidAPIKeys() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let body = jsonBody(["access_token_identifier": ["authentication_code": fixture.code]])
            let headers: [String?] = [
                nil,
                "Bearer \(fixture.apiKey)",
                "Basic",
                "Basic !!!not-base64",
                "Basic " + Data(fixture.apiKey.utf8).base64EncodedString(),
                consumerBasic(fixture.apiKey, password: "secret"),
                consumerBasic(""),
                consumerBasic(SecretFormat.generate(.apiKey)),
                consumerBasic(corrupted(fixture.apiKey)),
                consumerBasic(fixture.code),
                consumerBasic(fixture.app.clientId, password: ""),
                basicAuthorization(fixture.app.clientId, fixture.app.secret),
            ]
            for header in headers {
                let reply = try await server.consumerToken(authorization: header, body: body)
                expectConsumerError(reply, .unauthorized, "INVALID_API_KEY")
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true, "\(header ?? "none")")
            }

            // A disabled key, then a key whose application is disabled.
            #expect(try await server.api.patch("/admin/v1/apikeys/\(fixture.apiKeyId)", ["disabled": true]).status == .ok)
            expectConsumerError(try await server.consumerToken(authorization: consumerBasic(fixture.apiKey), body: body), .unauthorized, "INVALID_API_KEY")
            #expect(try await server.api.patch("/admin/v1/apikeys/\(fixture.apiKeyId)", ["disabled": false]).status == .ok)
            _ = try expectConsumerToken(try await server.consumerToken(authorization: consumerBasic(fixture.apiKey), body: body))
            #expect(try await server.api.patch("/admin/v1/apps/\(fixture.app.id)", ["disabled": true]).status == .ok)
            expectConsumerError(try await server.consumerToken(authorization: consumerBasic(fixture.apiKey), body: body), .unauthorized, "INVALID_API_KEY")
        }
    }

    @Test("Wrong, unknown, foreign, disabled or mismatched credentials are 401 INVALID_CREDENTIALS")
    func invalidCredentials() async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            try await server.api.createOrganisation("acme")
            let acme = try await server.consumerFixture(organisation: "acme", username: "carol", identifier: "carol-card")
            let wrongPassCode = fixture.passCode == "00000000" ? "11111111" : "00000000"
            let identifiers: [[String: Any]] = [
                ["authentication_code": SecretFormat.generate(.authenticationCode)],
                ["authentication_code": corrupted(fixture.code)],
                ["authentication_code": "not-a-code"],
                ["authentication_code": fixture.passCode],
                // A credential of another organisation than the key's never matches.
                ["authentication_code": acme.code],
                ["identifier": acme.identifier, "pass_code": acme.passCode],
                ["identifier": fixture.identifier, "pass_code": wrongPassCode],
                ["identifier": fixture.identifier, "pass_code": fixture.passCode + "0"],
                ["identifier": "nobody", "pass_code": fixture.passCode],
                ["identifier": fixture.identifier.uppercased(), "pass_code": fixture.passCode],
                ["identifier": fixture.identifier, "pass_code": String(repeating: "9", count: 5000)],
                ["identifier": String(repeating: "x", count: 5000), "pass_code": fixture.passCode],
            ]
            for identifier in identifiers {
                let reply = try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": identifier])
                expectConsumerError(reply, .unauthorized, "INVALID_CREDENTIALS")
                #expect(!reply.text.contains(fixture.passCode))
            }

            // A disabled credential, then a disabled user.
            let codeBody: [String: Any] = ["access_token_identifier": ["authentication_code": fixture.code]]
            let passBody: [String: Any] = ["access_token_identifier": ["identifier": fixture.identifier, "pass_code": fixture.passCode]]
            let credentials = try await server.api.get("/admin/v1/consumer-credentials?user=\(fixture.userId)").items.compactMap { $0["id"] as? String }
            #expect(credentials.count == 2)
            for id in credentials {
                #expect(try await server.api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": true]).status == .ok)
            }
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, codeBody), .unauthorized, "INVALID_CREDENTIALS")
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, passBody), .unauthorized, "INVALID_CREDENTIALS")
            for id in credentials {
                #expect(try await server.api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": false]).status == .ok)
            }
            _ = try expectConsumerToken(try await server.consumerToken(apiKey: fixture.apiKey, codeBody))
            #expect(try await server.api.patch("/admin/v1/users/\(fixture.userId)", ["disabled": true]).status == .ok)
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, codeBody), .unauthorized, "INVALID_CREDENTIALS")
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, passBody), .unauthorized, "INVALID_CREDENTIALS")
            // A deleted credential.
            #expect(try await server.api.patch("/admin/v1/users/\(fixture.userId)", ["disabled": false]).status == .ok)
            #expect(try await server.api.delete("/admin/v1/consumer-credentials/\(credentials[0])").status == .noContent)
            #expect(try await server.api.delete("/admin/v1/consumer-credentials/\(credentials[1])").status == .noContent)
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, codeBody), .unauthorized, "INVALID_CREDENTIALS")
            expectConsumerError(try await server.consumerToken(apiKey: fixture.apiKey, passBody), .unauthorized, "INVALID_CREDENTIALS")
        }
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        var contentType: String? = "application/json"
        var status: HTTPResponse.Status = .badRequest
        var mentioning: String?
        var testDescription: String { name }

        init(_ name: String, _ json: String, contentType: String? = "application/json", status: HTTPResponse.Status = .badRequest, mentioning: String? = nil) {
            self.name = name
            self.body = Array(json.utf8)
            self.contentType = contentType
            self.status = status
            self.mentioning = mentioning
        }

        init(_ name: String, bytes: [UInt8], status: HTTPResponse.Status = .badRequest) {
            self.name = name
            self.body = bytes
            self.status = status
        }
    }

    /// `CODE` is replaced by a valid authentication code.
    static let badBodies: [BadBody] = [
        BadBody("text/plain", #"{"access_token_identifier":{"authentication_code":"CODE"}}"#, contentType: "text/plain", status: .unsupportedMediaType, mentioning: "Content-Type"),
        BadBody("a form", #"{"access_token_identifier":{"authentication_code":"CODE"}}"#, contentType: "application/x-www-form-urlencoded", status: .unsupportedMediaType),
        BadBody("no content type", #"{"access_token_identifier":{"authentication_code":"CODE"}}"#, contentType: nil, status: .unsupportedMediaType),
        BadBody("an empty body", ""),
        BadBody("malformed JSON", #"{"access_token_identifier":"#),
        BadBody("trailing garbage", #"{"access_token_identifier":{"authentication_code":"CODE"}} x"#),
        BadBody("a JSON array", #"[{"access_token_identifier":{"authentication_code":"CODE"}}]"#),
        BadBody("a JSON string", #""CODE""#),
        BadBody("JSON null", "null"),
        BadBody("an empty object", "{}", mentioning: "access_token_identifier"),
        BadBody("an unknown field", #"{"access_token_identifier":{"authentication_code":"CODE"},"scope":"x"}"#, mentioning: "scope"),
        BadBody("an unknown inner field", #"{"access_token_identifier":{"authentication_code":"CODE","password":"x"}}"#, mentioning: "access_token_identifier.password"),
        BadBody("access_token_identifier as a string", #"{"access_token_identifier":"CODE"}"#, mentioning: "access_token_identifier"),
        BadBody("an empty access_token_identifier", #"{"access_token_identifier":{}}"#, mentioning: "access_token_identifier.authentication_code"),
        BadBody("a numeric code", #"{"access_token_identifier":{"authentication_code":12345678}}"#, mentioning: "access_token_identifier.authentication_code"),
        BadBody("an empty code", #"{"access_token_identifier":{"authentication_code":""}}"#, mentioning: "access_token_identifier.authentication_code"),
        BadBody("an identifier without a pass code", #"{"access_token_identifier":{"identifier":"alice-card"}}"#, mentioning: "access_token_identifier.pass_code"),
        BadBody("a pass code without an identifier", #"{"access_token_identifier":{"pass_code":"12345678"}}"#, mentioning: "access_token_identifier.identifier"),
        BadBody("a numeric pass code", #"{"access_token_identifier":{"identifier":"alice-card","pass_code":12345678}}"#, mentioning: "access_token_identifier.pass_code"),
        BadBody("a code and an identifier", #"{"access_token_identifier":{"authentication_code":"CODE","identifier":"alice-card","pass_code":"1"}}"#, mentioning: "authentication_code"),
        BadBody("both an identifier and a jwt", #"{"access_token_identifier":{"authentication_code":"CODE"},"jwt":"a.b.c","organisation":"default"}"#, mentioning: "jwt"),
        BadBody("a jwt without organisation", #"{"jwt":"a.b.c"}"#, mentioning: "organisation"),
        BadBody("an organisation without jwt", #"{"access_token_identifier":{"authentication_code":"CODE"},"organisation":"default"}"#, mentioning: "organisation"),
        BadBody("a numeric unit", #"{"access_token_identifier":{"authentication_code":"CODE"},"unit":5}"#, mentioning: "unit"),
        BadBody("a jwt that is an object", #"{"jwt":{},"organisation":"default"}"#, mentioning: "jwt"),
        BadBody("not UTF-8", bytes: Array(#"{"access_token_identifier":{"authentication_code":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}}"#.utf8)),
        BadBody("a body over 64 KiB", #"{"access_token_identifier":{"authentication_code":"\#(String(repeating: "c", count: 70_000))"}}"#, status: .contentTooLarge),
    ]

    @Test("Bad bodies are 4xx INVALID_REQUEST in the envelope, with data null, and change nothing", arguments: badBodies)
    func badBody(_ bad: BadBody) async throws {
        try await withOAuthServer { server in
            let fixture = try await server.consumerFixture()
            let before = try await server.api.snapshot()
            let bytes = Array(String(decoding: bad.body, as: UTF8.self).replacingOccurrences(of: "CODE", with: fixture.code).utf8)
            let body = bad.name == "not UTF-8" ? bad.body : bytes
            let reply = try await server.consumerToken(
                authorization: consumerBasic(fixture.apiKey), body: ByteBuffer(bytes: body), contentType: bad.contentType
            )
            expectConsumerError(reply, bad.status, "INVALID_REQUEST", mentioning: bad.mentioning)
            #expect(try await server.api.snapshot() == before)
            // The credential still works afterwards.
            _ = try expectConsumerToken(try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]]))
        }
    }

    @Test("An oversized body on a live server is 413 in the envelope, and the server keeps serving")
    func oversizedLive() async throws {
        try await withOAuthServer(.live) { server in
            let fixture = try await server.consumerFixture()
            let body = jsonBody(["access_token_identifier": ["authentication_code": String(repeating: "c", count: 100_000)]])
            let reply = try await server.consumerToken(authorization: consumerBasic(fixture.apiKey), body: body)
            expectConsumerError(reply, .contentTooLarge, "INVALID_REQUEST")
            _ = try expectConsumerToken(try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]]))
        }
    }

    @Test("The API key is checked before the body: a bad key with a bad body is INVALID_API_KEY")
    func keyBeforeBody() async throws {
        try await withOAuthServer { server in
            let reply = try await server.consumerToken(authorization: nil, body: ByteBuffer(string: "not json"), contentType: "text/plain")
            expectConsumerError(reply, .unauthorized, "INVALID_API_KEY")
        }
    }

    @Test("TOO_MANY_REQUESTS and server failures are rendered in the envelope (429 with Retry-After, 500)")
    func rendering() async throws {
        struct Boom: Error {}
        let router = Router(context: GatehouseRequestContext.self)
        let group = router.group("consumer").add(middleware: ErrorMiddleware<ConsumerErrorFormat>())
        group.post("overloaded") { _, _ -> String in throw PasswordHasher.Overloaded() }
        group.post("boom") { _, _ -> String in throw Boom() }
        group.post("http") { _, _ -> String in throw HTTPError(.badRequest, message: "nope") }
        let app = Hummingbird.Application(router: router, logger: quietLogger)
        try await app.test(.router) { client in
            let overloaded = try await client.executeRequest(uri: "/consumer/overloaded", method: .post, headers: [:], body: nil)
            let reply = Reply(status: overloaded.status, headers: overloaded.headers, body: overloaded.body)
            expectConsumerError(reply, .tooManyRequests, "TOO_MANY_REQUESTS")
            #expect(reply.headers[.retryAfter] == "1")
            let boom = try await client.executeRequest(uri: "/consumer/boom", method: .post, headers: [:], body: nil)
            expectConsumerError(Reply(status: boom.status, headers: boom.headers, body: boom.body), .internalServerError, "SERVER_ERROR")
            let http = try await client.executeRequest(uri: "/consumer/http", method: .post, headers: [:], body: nil)
            expectConsumerError(Reply(status: http.status, headers: http.headers, body: http.body), .badRequest, "INVALID_REQUEST", mentioning: "nope")
        }
    }
}

// MARK: Core

/// The exchange on its own, with a password hasher small enough to fill: shows which paths pay
/// for the KDF (an unknown identifier does) and that a full hasher is TOO_MANY_REQUESTS.
@Suite("Consumer token exchange: KDF")
struct ConsumerTokenExchangeKDFTests {
    @Test("An unknown identifier costs a KDF verification like a wrong pass code; a full hasher is TOO_MANY_REQUESTS")
    func dummyVerification() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: quietLogger)
        do {
            let store = database.store
            let now = Date()
            let hasher = try await ServerSecrets.hasher(store: store, masterKey: nil)
            try await OrganisationManager(store: store).ensureDefault(now: now)
            let keys = try await SigningKeyRing(store: store, masterKey: nil, algorithm: .es256, now: now)
            let fast = PasswordHasher(rounds: 1000)
            let user = try await UserManager(store: store, passwords: fast).create(
                UserInput(username: "alice", password: OAuthFixtures.password), by: .commandLine, now: now
            )
            let credentials = ConsumerCredentialManager(store: store, hasher: hasher, passwords: fast)
            let pass = try await credentials.create(ConsumerCredentialInput(user: user.id, kind: "pass_code", identifier: "card"), by: .commandLine, now: now)
            let code = try await credentials.create(ConsumerCredentialInput(user: user.id, kind: "authentication_code"), by: .commandLine, now: now)
            let key = SecretFormat.generate(.apiKey)
            try await store.insertAPIKey(APIKey(
                id: UUID().uuidString.lowercased(), organisationId: user.organisationId, name: "k", description: nil, keyHash: hasher.hash(key),
                keyPrefix: String(key.prefix(9)), applicationId: nil, userId: user.id, scopes: [], expiresAt: nil, lastUsedAt: nil,
                disabled: false, createdAt: now, updatedAt: now
            ), audit: .make("apikey.create", "apikey", "k", by: .commandLine, at: now))

            // One slot, no queue: while a slow derivation holds the slot, any other is refused.
            let slow = PasswordHasher(rounds: 2_000_000, maxConcurrent: 1, maxWaiting: 0)
            let issuer = TokenIssuer(issuer: "https://issuer.test", audience: "https://issuer.test", keys: keys, store: store, hasher: hasher)
            let verifier = AccessTokenVerifier(issuer: "https://issuer.test", audience: "https://issuer.test")
            let apiKeys = APIKeyVerifier(store: store, hasher: hasher)
            let introspection = Introspection(store: store, hasher: hasher, verifier: verifier, keys: keys, apiKeys: apiKeys)
            let exchange = ConsumerTokenExchange(store: store, hasher: hasher, passwords: slow, issuer: issuer, introspection: introspection, apiKeys: apiKeys)
            let verified = try await exchange.authenticate(apiKey: key, now: now)

            // Unloaded: the pass code works, and the token is a consumer token.
            let issued = try await exchange.exchange(
                ConsumerTokenRequest(identifier: .passCode(identifier: "card", passCode: pass.secret)), apiKey: verified, now: now
            )
            #expect(issued.claims.exp - issued.claims.iat == 7200)
            #expect(issued.claims.client_id == "apikey:\(verified.key.id)")

            // A real check holds the slot (an unknown identifier would take the unknown-name lane,
            // which never queues in front of real checks: PasswordHasherTests).
            let stored = "$pbkdf2-sha256$i=2000000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
            let blocker = Task { try await slow.verify("anything", against: stored) }
            while await slow.gate.running == 0 { try await Task.sleep(for: .milliseconds(1)) }
            for request in [
                ConsumerTokenRequest(identifier: .passCode(identifier: "card", passCode: "12345678")),
                ConsumerTokenRequest(identifier: .passCode(identifier: "card", passCode: pass.secret)),
            ] {
                await #expect(throws: ConsumerTokenError(.tooManyRequests, "too many pass-code checks in progress; retry shortly")) {
                    try await exchange.exchange(request, apiKey: verified, now: now)
                }
            }
            // Authentication codes never touch the KDF.
            let byCode = try await exchange.exchange(ConsumerTokenRequest(identifier: .authenticationCode(code.secret)), apiKey: verified, now: now)
            #expect(byCode.claims.sub == user.id)
            await #expect(throws: ConsumerTokenError.invalidCredentials) {
                try await exchange.exchange(ConsumerTokenRequest(identifier: .authenticationCode("ghac_nope")), apiKey: verified, now: now)
            }
            _ = try await blocker.value
            try await database.close()
        } catch {
            try? await database.close()
            throw error
        }
    }
}
