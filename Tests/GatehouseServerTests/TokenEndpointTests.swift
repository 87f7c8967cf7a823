import Foundation
import GatehouseCore
import GatehouseServer
import GatehouseStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// One malformed or refused token request and the RFC 6749 §5.2 answer it must get.
enum BadTokenRequest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case missingGrantType, emptyGrantType, duplicatedGrantType, duplicatedScope, duplicatedClientIdPost
    case basicAndPostSecret, basicAndPostCredentialsOtherId, secretWithoutClientId, basicAndDifferentBodyClientId
    case jsonBody, noContentType, textPlainBody, nonUTF8Body, percentEncodedNonUTF8, badPercentEncoding, oversizedBody
    case unknownGrant, authorizationCodeNotImplemented, passwordNotAllowed, refreshNotAllowed, scopeOutside, scopeOutsideAmongAllowed
    case wrongSecretBasic, wrongSecretPost, malformedSecretPost, malformedSecretBasic, malformedBasicBase64, basicWithoutColon, basicEmptyClientId
    case unknownClientBasic, unknownClientPost, noClientAuthentication, bearerInsteadOfBasic, disabledApplication
    case passwordMissingUsername, passwordWrong, passwordUnknownUser, refreshMissingToken, refreshGarbageToken, refreshForeignSecretFormat

    var testDescription: String { rawValue }

    /// status, error, and whether `WWW-Authenticate: Basic` is required (true), forbidden (false) or not checked (nil).
    var expected: (HTTPResponse.Status, String, Bool?) {
        switch self {
        case .missingGrantType, .emptyGrantType, .duplicatedGrantType, .duplicatedScope, .duplicatedClientIdPost,
             .basicAndPostSecret, .basicAndPostCredentialsOtherId, .secretWithoutClientId, .basicAndDifferentBodyClientId,
             .jsonBody, .noContentType, .textPlainBody, .nonUTF8Body, .percentEncodedNonUTF8, .badPercentEncoding, .oversizedBody,
             .passwordMissingUsername, .refreshMissingToken:
            (.badRequest, "invalid_request", nil)
        case .unknownGrant, .authorizationCodeNotImplemented:
            (.badRequest, "unsupported_grant_type", nil)
        case .passwordNotAllowed, .refreshNotAllowed:
            (.badRequest, "unauthorized_client", nil)
        case .scopeOutside, .scopeOutsideAmongAllowed:
            (.badRequest, "invalid_scope", nil)
        case .wrongSecretBasic, .malformedSecretBasic, .malformedBasicBase64, .basicWithoutColon, .basicEmptyClientId, .unknownClientBasic:
            (.unauthorized, "invalid_client", true)
        case .wrongSecretPost, .malformedSecretPost, .unknownClientPost:
            (.unauthorized, "invalid_client", false)
        case .noClientAuthentication, .bearerInsteadOfBasic:
            (.unauthorized, "invalid_client", nil)
        case .disabledApplication:
            (.unauthorized, "invalid_client", true)
        case .passwordWrong, .passwordUnknownUser, .refreshGarbageToken, .refreshForeignSecretFormat:
            (.badRequest, "invalid_grant", nil)
        }
    }

    func send(to server: OAuthServer, app: OAuthApp, passwordApp: OAuthApp) async throws -> Reply {
        let cc = ("grant_type", "client_credentials")
        let basic = basicAuthorization(app.clientId, app.secret)
        let wrongSecret = SecretFormat.generate(.clientSecret)
        switch self {
        case .missingGrantType:
            return try await server.token(app, .basic, [("scope", "orders:read")])
        case .emptyGrantType:
            return try await server.token(app, .basic, [("grant_type", "")])
        case .duplicatedGrantType:
            return try await server.token(app, .basic, [cc, cc])
        case .duplicatedScope:
            return try await server.token(app, .basic, [cc, ("scope", "orders:read"), ("scope", "orders:read")])
        case .duplicatedClientIdPost:
            return try await server.token([cc, ("client_id", app.clientId), ("client_id", app.clientId), ("client_secret", app.secret)], as: .none)
        case .basicAndPostSecret:
            return try await server.send("/oauth/token", body: formBody([cc, ("client_id", app.clientId), ("client_secret", app.secret)]), authorization: basic)
        case .basicAndPostCredentialsOtherId:
            return try await server.send("/oauth/token", body: formBody([cc, ("client_id", "someone-else"), ("client_secret", app.secret)]), authorization: basic)
        case .secretWithoutClientId:
            return try await server.token([cc, ("client_secret", app.secret)], as: .none)
        case .basicAndDifferentBodyClientId:
            return try await server.send("/oauth/token", body: formBody([cc, ("client_id", passwordApp.clientId)]), authorization: basic)
        case .jsonBody:
            let json = ByteBuffer(string: #"{"grant_type":"client_credentials"}"#)
            return try await server.send("/oauth/token", body: json, contentType: "application/json", authorization: basic)
        case .noContentType:
            return try await server.send("/oauth/token", body: formBody([cc]), contentType: nil, authorization: basic)
        case .textPlainBody:
            return try await server.send("/oauth/token", body: formBody([cc]), contentType: "text/plain", authorization: basic)
        case .nonUTF8Body:
            var body = ByteBuffer(string: "grant_type=client_credentials&scope=")
            body.writeBytes([0xFF, 0xFE, 0xC3])
            return try await server.send("/oauth/token", body: body, authorization: basic)
        case .percentEncodedNonUTF8:
            return try await server.send("/oauth/token", body: ByteBuffer(string: "grant_type=client_credentials&scope=%FF%FE"), authorization: basic)
        case .badPercentEncoding:
            return try await server.send("/oauth/token", body: ByteBuffer(string: "grant_type=client_%ZZcredentials"), authorization: basic)
        case .oversizedBody:
            let body = ByteBuffer(string: "grant_type=client_credentials&padding=" + String(repeating: "a", count: 70 * 1024))
            return try await server.send("/oauth/token", body: body, authorization: basic)
        case .unknownGrant:
            return try await server.token(app, .basic, [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")])
        case .authorizationCodeNotImplemented:
            return try await server.token(app, .basic, [("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", "https://x.example")])
        case .passwordNotAllowed:
            return try await server.password(app, username: "alice", password: OAuthFixtures.password)
        case .refreshNotAllowed:
            return try await server.refresh(app, SecretFormat.generate(.refreshToken))
        case .scopeOutside:
            return try await server.clientCredentials(app, scope: "admin")
        case .scopeOutsideAmongAllowed:
            return try await server.clientCredentials(app, scope: "orders:read admin orders:write")
        case .wrongSecretBasic:
            return try await server.token([cc], as: .header(basicAuthorization(app.clientId, wrongSecret)))
        case .wrongSecretPost:
            return try await server.token([cc, ("client_id", app.clientId), ("client_secret", wrongSecret)], as: .none)
        case .malformedSecretPost:
            return try await server.token([cc, ("client_id", app.clientId), ("client_secret", corrupted(app.secret))], as: .none)
        case .malformedSecretBasic:
            return try await server.token([cc], as: .header(basicAuthorization(app.clientId, "not-a-secret")))
        case .malformedBasicBase64:
            return try await server.token([cc], as: .header("Basic !!!not base64!!!"))
        case .basicWithoutColon:
            return try await server.token([cc], as: .header("Basic " + Data(app.clientId.utf8).base64EncodedString()))
        case .basicEmptyClientId:
            return try await server.token([cc], as: .header(basicAuthorization("", app.secret)))
        case .unknownClientBasic:
            return try await server.token([cc], as: .header(basicAuthorization(UUID().uuidString.lowercased(), wrongSecret)))
        case .unknownClientPost:
            return try await server.token([cc, ("client_id", UUID().uuidString.lowercased()), ("client_secret", wrongSecret)], as: .none)
        case .noClientAuthentication:
            return try await server.token([cc], as: .none)
        case .bearerInsteadOfBasic:
            return try await server.token([cc], as: .header("Bearer \(app.secret)"))
        case .disabledApplication:
            let reply = try await server.api.patch("/admin/v1/apps/\(app.id)", ["disabled": true])
            try #require(reply.status == .ok, "\(reply.text)")
            return try await server.clientCredentials(app)
        case .passwordMissingUsername:
            return try await server.token(passwordApp, .basic, [("grant_type", "password"), ("password", OAuthFixtures.password)])
        case .passwordWrong:
            return try await server.password(passwordApp, username: "alice", password: "wrong password")
        case .passwordUnknownUser:
            return try await server.password(passwordApp, username: "nobody", password: OAuthFixtures.password)
        case .refreshMissingToken:
            return try await server.token(passwordApp, .basic, [("grant_type", "refresh_token")])
        case .refreshGarbageToken:
            return try await server.refresh(passwordApp, "garbage")
        case .refreshForeignSecretFormat:
            return try await server.refresh(passwordApp, passwordApp.secret)
        }
    }
}

@Suite("OAuth token endpoint (RFC 6749)")
struct TokenEndpointTests {
    // MARK: errors

    @Test("Refused token requests get the RFC 6749 §5.2 error and status", arguments: BadTokenRequest.allCases)
    func refused(_ bad: BadTokenRequest) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(name: "shop", scopes: ["orders:read", "orders:write"])
            let passwordApp = try await server.createApp(name: "portal", grantTypes: ["password", "refresh_token"], scopes: ["profile"])
            try await server.createUser("alice")
            let reply = try await bad.send(to: server, app: app, passwordApp: passwordApp)
            let (status, code, basicChallenge) = bad.expected
            expectOAuthError(reply, status, code, basicChallenge: basicChallenge)
            #expect(!reply.text.contains(app.secret), "an error never echoes a secret")
            #expect(reply.string("access_token") == nil)
        }
    }

    @Test("An empty client_secret next to HTTP Basic counts as absent (RFC 6749 §3.2), not as a second method")
    func emptyPostSecretWithBasic() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(scopes: ["a"])
            let reply = try await server.send(
                "/oauth/token", body: formBody([("grant_type", "client_credentials"), ("client_secret", "")]),
                authorization: basicAuthorization(app.clientId, app.secret)
            )
            #expect(reply.status == .ok, "\(reply.text)")
        }
    }

    @Test("On a live server an oversized body is a 4xx invalid_request, and the server keeps serving")
    func oversizedLive() async throws {
        try await withOAuthServer(.live) { server in
            let app = try await server.createApp()
            let body = ByteBuffer(string: "grant_type=client_credentials&padding=" + String(repeating: "a", count: 200 * 1024))
            let reply = try await server.send("/oauth/token", body: body, authorization: basicAuthorization(app.clientId, app.secret))
            #expect((400..<500).contains(reply.status.code), "\(reply.status) \(reply.text)")
            #expect(reply.string("error") == "invalid_request")
            #expect(try await server.clientCredentials(app).status == .ok)
        }
    }

    @Test("A body just under 64 KiB is accepted; unknown parameters are ignored (RFC 6749 §3.2)")
    func justUnderTheLimit() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let fields = [("grant_type", "client_credentials"), ("padding", String(repeating: "a", count: 60 * 1024))]
            let reply = try await server.token(app, .basic, fields)
            #expect(reply.status == .ok, "\(reply.text)")
        }
    }

    @Test("A wrong secret for an existing client and an unknown client get the same answer")
    func noClientEnumeration() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let secret = SecretFormat.generate(.clientSecret)
            let known = try await server.token([("grant_type", "client_credentials")], as: .header(basicAuthorization(app.clientId, secret)))
            let unknown = try await server.token([("grant_type", "client_credentials")], as: .header(basicAuthorization("no-such-client", secret)))
            #expect(known.status == unknown.status)
            #expect(known.text == unknown.text)
        }
    }

    @Test("The token endpoint answers only POST")
    func onlyPost() async throws {
        try await withOAuthServer { server in
            let reply = try await server.send(.get, "/oauth/token?grant_type=client_credentials", body: nil, contentType: nil)
            #expect(reply.status != .ok)
            #expect(reply.status.code < 500)
        }
    }

    // MARK: client_credentials

    @Test("client_credentials succeeds with either authentication method", arguments: [ClientAuth.basic, .post])
    func clientCredentials(_ auth: ClientAuth) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(scopes: ["orders:read", "orders:write"], accessTokenTTL: 900)
            let before = Int(Date().timeIntervalSince1970)
            let reply = try await server.clientCredentials(app, auth)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.string("token_type") == "Bearer")
            #expect(reply.int("expires_in") == 900)
            #expect(reply.string("scope") == "orders:read orders:write", "default scope = every scope of the app")
            #expect(reply["refresh_token"] == nil, "RFC 6749 §4.4.3: no refresh token for client_credentials")
            #expect(Set(reply.object.keys) == ["access_token", "token_type", "expires_in", "scope"])

            let jwt = try DecodedJWT(try #require(reply.string("access_token")))
            #expect(jwt.header["typ"] as? String == "at+jwt")
            #expect(jwt.header["alg"] as? String == "ES256")
            let kid = try #require(jwt.header["kid"] as? String)
            #expect(kid == server.keys.active.kid)
            #expect(jwt.string("iss") == server.issuer)
            #expect(jwt.string("aud") == server.audience)
            #expect(jwt.string("sub") == app.clientId)
            #expect(jwt.string("client_id") == app.clientId)
            #expect(jwt.string("org") == app.organisation)
            #expect(jwt.string("scope") == "orders:read orders:write")
            #expect((jwt.string("jti") ?? "").isEmpty == false)
            let iat = try #require(jwt.int("iat"))
            #expect(try #require(jwt.int("exp")) - iat == 900)
            #expect(jwt.int("nbf") == iat)
            #expect(iat >= before - 1 && iat <= Int(Date().timeIntervalSince1970) + 1)
            for claim in ["exp", "iat", "nbf"] {
                let raw = try #require(jwt.rawNumber(claim), "\(claim) in \(jwt.payloadText)")
                #expect(!raw.contains(".") && !raw.lowercased().contains("e") && Int(raw) != nil, "\(claim) = \(raw)")
            }
        }
    }

    @Test("client_credentials grants a requested subset of scopes exactly, and no scopes for an app without any")
    func clientCredentialsScopes() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(scopes: ["a", "b", "c"])
            let subset = try await server.clientCredentials(app, scope: "c a")
            #expect(subset.status == .ok, "\(subset.text)")
            #expect(subset.string("scope") == "c a")
            #expect(try DecodedJWT(try #require(subset.string("access_token"))).string("scope") == "c a")

            let duplicate = try await server.clientCredentials(app, scope: "b b")
            #expect(duplicate.string("scope") == "b")

            let bare = try await server.createApp(name: "bare")
            let none = try await server.clientCredentials(bare)
            #expect(none.status == .ok, "\(none.text)")
            #expect(none.string("scope") == "")
            expectOAuthError(try await server.clientCredentials(bare, scope: "a"), .badRequest, "invalid_scope")
        }
    }

    @Test("Every token has its own jti; the default lifetime is 3600 s")
    func jtisAreUnique() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            var jtis = Set<String>()
            for _ in 0..<5 {
                let reply = try await server.clientCredentials(app)
                #expect(reply.int("expires_in") == 3600)
                let token = try #require(reply.string("access_token"))
                jtis.insert(try #require(try DecodedJWT(token).string("jti")))
            }
            #expect(jtis.count == 5)
        }
    }

    @Test("Client ids and secrets are form-decoded in HTTP Basic (RFC 6749 §2.3.1)")
    func basicIsFormDecoded() async throws {
        try await withOAuthServer { server in
            // An API user's client_id is its username, which may need encoding.
            try await server.createUser("svc user+1@example.com", password: "p@ss word:100%", apiUser: true)
            let reply = try await server.token([("grant_type", "client_credentials")], as: .apiUser("svc user+1@example.com", "p@ss word:100%"))
            #expect(reply.status == .ok, "\(reply.text)")
        }
    }

    // MARK: password

    @Test("password without the refresh_token grant issues no refresh token")
    func passwordWithoutRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password"], scopes: ["profile", "orders"], accessTokenTTL: 300)
            let userId = try await server.createUser("alice")
            let reply = try await server.password(app, username: "alice", password: OAuthFixtures.password, scope: "profile")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply["refresh_token"] == nil)
            #expect(reply.string("scope") == "profile")
            #expect(reply.int("expires_in") == 300)
            let jwt = try DecodedJWT(try #require(reply.string("access_token")))
            #expect(jwt.string("sub") == userId)
            #expect(jwt.string("client_id") == app.clientId)
            #expect(jwt.string("org") == app.organisation)
        }
    }

    @Test("password with the refresh_token grant also issues a refresh token")
    func passwordWithRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"], scopes: ["profile"])
            try await server.createUser("alice")
            let reply = try await server.password(app, username: "alice", password: OAuthFixtures.password)
            #expect(reply.status == .ok, "\(reply.text)")
            let refresh = try #require(reply.string("refresh_token"))
            #expect(refresh.hasPrefix("ghrt_"))
            #expect(SecretFormat.isWellFormed(refresh, as: .refreshToken))
            #expect(reply.string("scope") == "profile")
        }
    }

    @Test("A disabled user cannot use the password grant")
    func passwordDisabledUser() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password"])
            let userId = try await server.createUser("alice")
            #expect(try await server.password(app, username: "alice", password: OAuthFixtures.password).status == .ok)
            #expect(try await server.api.patch("/admin/v1/users/\(userId)", ["disabled": true]).status == .ok)
            expectOAuthError(try await server.password(app, username: "alice", password: OAuthFixtures.password), .badRequest, "invalid_grant")
        }
    }

    @Test("A user of another organisation cannot use this organisation's app, even with the right password")
    func passwordOtherOrganisation() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            let app = try await server.createApp(grantTypes: ["password"], organisation: "acme")
            try await server.createUser("alice")                          // default organisation
            try await server.createUser("bob", organisation: "acme")
            let foreign = try await server.password(app, username: "alice", password: OAuthFixtures.password)
            expectOAuthError(foreign, .badRequest, "invalid_grant")
            let wrong = try await server.password(app, username: "bob", password: "wrong password")
            #expect(foreign.text == wrong.text, "an unknown user and a wrong password answer alike")
            #expect(try await server.password(app, username: "bob", password: OAuthFixtures.password).status == .ok)
        }
    }

    // MARK: refresh_token

    @Test("A refresh token rotates: each use returns a new one and new access token for the same user")
    func refreshRotation() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"], scopes: ["a", "b"], accessTokenTTL: 120)
            let userId = try await server.createUser("alice")
            let first = try await server.passwordTokens(app, username: "alice")

            let second = try await server.refresh(app, first.refresh)
            #expect(second.status == .ok, "\(second.text)")
            #expect(second.headers[.cacheControl] == "no-store")
            let rotated = try #require(second.string("refresh_token"))
            #expect(rotated != first.refresh)
            #expect(SecretFormat.isWellFormed(rotated, as: .refreshToken))
            #expect(second.string("token_type") == "Bearer")
            #expect(second.int("expires_in") == 120)
            #expect(second.string("scope") == "a b")
            let access = try #require(second.string("access_token"))
            #expect(access != first.access)
            let jwt = try DecodedJWT(access)
            #expect(jwt.string("sub") == userId)
            #expect(jwt.string("client_id") == app.clientId)

            // A narrower scope narrows the access token only; the next rotation has the full set again.
            let narrowed = try await server.refresh(app, rotated, scope: "b")
            #expect(narrowed.status == .ok, "\(narrowed.text)")
            #expect(narrowed.string("scope") == "b")
            let third = try await server.refresh(app, try #require(narrowed.string("refresh_token")))
            #expect(third.string("scope") == "a b")
            // A wider scope than the token's is invalid_scope, and does not burn the token.
            let next = try #require(third.string("refresh_token"))
            expectOAuthError(try await server.refresh(app, next, scope: "a c"), .badRequest, "invalid_scope")
            #expect(try await server.refresh(app, next).status == .ok)
        }
    }

    @Test("Reusing a consumed refresh token is invalid_grant and revokes the family: the newest token dies too")
    func refreshReuse() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let first = try await server.passwordTokens(app, username: "alice")
            let second = try await server.refresh(app, first.refresh)
            let rotated = try #require(second.string("refresh_token"))

            expectOAuthError(try await server.refresh(app, first.refresh), .badRequest, "invalid_grant")
            expectOAuthError(try await server.refresh(app, rotated), .badRequest, "invalid_grant")
            expectInactive(try await server.introspect(rotated, as: .admin))
            // Another family of the same user is untouched.
            let other = try await server.passwordTokens(app, username: "alice")
            #expect(try await server.refresh(app, other.refresh).status == .ok)
        }
    }

    @Test("A reused refresh token naming a scope it never had is still caught as reuse, and the family dies")
    func refreshReuseWithABadScope() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"], scopes: ["read", "write"])
            try await server.createUser("alice")
            let first = try await server.passwordTokens(app, username: "alice", scope: "read")
            let rotated = try #require(try await server.refresh(app, first.refresh).string("refresh_token"))
            // A usable token asking for too much is refused and stays usable ...
            expectOAuthError(try await server.refresh(app, rotated, scope: "write"), .badRequest, "invalid_scope")
            #expect(try await server.isActive(rotated))
            // ... but a used one is reuse whatever it asks for.
            expectOAuthError(try await server.refresh(app, first.refresh, scope: "write"), .badRequest, "invalid_grant")
            expectInactive(try await server.introspect(rotated, as: .admin))
        }
    }

    @Test("A refresh token presented by another app is invalid_grant and stays usable by its owner")
    func refreshByAnotherApp() async throws {
        try await withOAuthServer { server in
            let owner = try await server.createApp(name: "owner", grantTypes: ["password", "refresh_token"])
            let thief = try await server.createApp(name: "thief", grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let tokens = try await server.passwordTokens(owner, username: "alice")
            expectOAuthError(try await server.refresh(thief, tokens.refresh), .badRequest, "invalid_grant")
            #expect(try await server.refresh(owner, tokens.refresh).status == .ok)
        }
    }

    @Test("Regenerating the app secret revokes its refresh tokens; the old secret stops working")
    func regeneratedSecret() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")
            let regenerated = try await server.api.post("/admin/v1/apps/\(app.id)/secret")
            #expect(regenerated.status == .ok || regenerated.status == .created, "\(regenerated.text)")
            let secret = try #require(regenerated.string("clientSecret"))
            let renewed = OAuthApp(id: app.id, clientId: app.clientId, secret: secret, organisation: app.organisation)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .unauthorized, "invalid_client", basicChallenge: true)
            expectOAuthError(try await server.refresh(renewed, tokens.refresh), .badRequest, "invalid_grant")
            #expect(try await server.passwordTokens(renewed, username: "alice").refresh.isEmpty == false)
        }
    }

    @Test("Disabling the user ends its refresh tokens")
    func disabledUserRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            let userId = try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")
            #expect(try await server.api.patch("/admin/v1/users/\(userId)", ["disabled": true]).status == .ok)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .badRequest, "invalid_grant")
            // Enabling the user again does not bring back the token.
            #expect(try await server.api.patch("/admin/v1/users/\(userId)", ["disabled": false]).status == .ok)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .badRequest, "invalid_grant")
        }
    }

    @Test("Disabling the app ends its refresh tokens, also after it is enabled again")
    func disabledAppRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")
            #expect(try await server.api.patch("/admin/v1/apps/\(app.id)", ["disabled": true]).status == .ok)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .unauthorized, "invalid_client", basicChallenge: true)
            #expect(try await server.api.patch("/admin/v1/apps/\(app.id)", ["disabled": false]).status == .ok)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .badRequest, "invalid_grant")
        }
    }

    @Test("A refresh token of a deleted user is invalid_grant")
    func deletedUserRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            let userId = try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")
            #expect(try await server.api.delete("/admin/v1/users/\(userId)").status == .noContent)
            expectOAuthError(try await server.refresh(app, tokens.refresh), .badRequest, "invalid_grant")
        }
    }

    @Test("Of 10 concurrent refreshes of one token exactly one succeeds (SQLite)")
    func concurrentRefresh() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await server.refresh(app, tokens.refresh) }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            let successes = replies.filter { $0.status == .ok }
            #expect(successes.count == 1, "\(replies.map { "\($0.status.code) \($0.string("error") ?? "")" })")
            for failure in replies where failure.status != .ok {
                expectOAuthError(failure, .badRequest, "invalid_grant")
            }
            // The losers' reuse revoked the family: the winner's new refresh token is dead too.
            let winner = try #require(successes.first?.string("refresh_token"))
            #expect(try await server.isActive(winner) == false)
            expectInactive(try await server.introspect(tokens.refresh, as: .admin))
        }
    }

    @Test("A token inserted into a family after its reuse was detected is born revoked")
    func reuseRacingRotation() async throws {
        // The grant stores the next generation in the rotation's own statement; this inserts one
        // late by hand (rotation, the loser's reuse, then the insert) to check the store's second
        // guard. RFC 9700 §4.14.2: once reuse is detected, no token of the family may live.
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice")

            let database = try await Database.open(server.configuration.database, logger: quietLogger)
            do {
                let hasher = try await ServerSecrets.hasher(store: database.store, masterKey: server.configuration.masterKey)
                let issuer = TokenIssuer(issuer: server.issuer, audience: server.audience, keys: server.keys, store: database.store, hasher: hasher)
                // 1. The winner rotates the token.
                guard case .consumed(let consumed) = try await database.store.rotateRefreshToken(
                    hash: hasher.hash(tokens.refresh), applicationId: app.id, now: Date(), successor: issuer.refreshTokenSuccessor(now: Date()).successor
                ) else {
                    Issue.record("the token was not consumable")
                    try await database.close()
                    return
                }
                // 2. The loser presents the same token: reuse, the family is revoked.
                expectOAuthError(try await server.refresh(app, tokens.refresh), .badRequest, "invalid_grant")
                // 3. A next generation arrives late.
                let (next, successor) = issuer.refreshTokenSuccessor(now: Date())
                let record = successor.record(after: consumed, scopes: consumed.scopes)
                try await database.store.insertRefreshToken(record)
                try await database.close()
                // The store inserts a member of a revoked family already revoked.
                #expect(try await server.isActive(next) == false)
                expectOAuthError(try await server.refresh(app, next), .badRequest, "invalid_grant")
            } catch {
                try? await database.close()
                throw error
            }
        }
    }

    // MARK: API users

    @Test("An API user authenticates as a client with client_credentials; sub is the user", arguments: [ClientAuth.basic, .post])
    func apiUserClientCredentials(_ auth: ClientAuth) async throws {
        try await withOAuthServer { server in
            let userId = try await server.createUser("svc", password: "service password", apiUser: true)
            let organisation = try await server.defaultOrganisation()
            let fields: [(String, String)] = [("grant_type", "client_credentials")]
            let reply = auth == .basic
                ? try await server.token(fields, as: .apiUser("svc", "service password"))
                : try await server.token(fields + [("client_id", "svc"), ("client_secret", "service password")], as: .none)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply["refresh_token"] == nil)
            #expect(reply.string("scope") == "")
            let jwt = try DecodedJWT(try #require(reply.string("access_token")))
            #expect(jwt.string("sub") == userId)
            #expect(jwt.string("client_id") == "svc")
            #expect(jwt.string("org") == organisation)
        }
    }

    @Test("An API user may not use the password or refresh_token grants, nor ask for scopes")
    func apiUserOtherGrants() async throws {
        try await withOAuthServer { server in
            try await server.createUser("svc", password: "service password", apiUser: true)
            try await server.createUser("alice")
            let asUser = OAuthCaller.apiUser("svc", "service password")
            expectOAuthError(
                try await server.token([("grant_type", "password"), ("username", "alice"), ("password", OAuthFixtures.password)], as: asUser),
                .badRequest, "unauthorized_client"
            )
            expectOAuthError(
                try await server.token([("grant_type", "refresh_token"), ("refresh_token", SecretFormat.generate(.refreshToken))], as: asUser),
                .badRequest, "unauthorized_client"
            )
            expectOAuthError(try await server.token([("grant_type", "client_credentials"), ("scope", "x")], as: asUser), .badRequest, "invalid_scope")
            expectOAuthError(
                try await server.token([("grant_type", "client_credentials")], as: .apiUser("svc", "wrong password")),
                .unauthorized, "invalid_client", basicChallenge: true
            )
        }
    }

    @Test("An ordinary (non-API) user cannot authenticate as a client; a disabled API user neither")
    func nonAPIUserIsNotAClient() async throws {
        try await withOAuthServer { server in
            try await server.createUser("alice")
            expectOAuthError(
                try await server.token([("grant_type", "client_credentials")], as: .apiUser("alice", OAuthFixtures.password)),
                .unauthorized, "invalid_client", basicChallenge: true
            )
            let svc = try await server.createUser("svc", password: "service password", apiUser: true)
            #expect(try await server.api.patch("/admin/v1/users/\(svc)", ["disabled": true]).status == .ok)
            expectOAuthError(
                try await server.token([("grant_type", "client_credentials")], as: .apiUser("svc", "service password")),
                .unauthorized, "invalid_client", basicChallenge: true
            )
        }
    }
}
