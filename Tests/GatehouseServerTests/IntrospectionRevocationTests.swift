import Foundation
import GatehouseCore
import HTTPTypes
import NIOCore
import Testing

@Suite("OAuth introspection (RFC 7662) and revocation (RFC 7009)")
struct IntrospectionRevocationTests {
    // MARK: introspection

    @Test("An active access token is introspected with its claims", arguments: [ClientAuth.basic, .post])
    func activeAccessToken(_ auth: ClientAuth) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(scopes: ["orders:read", "orders:write"], accessTokenTTL: 600)
            let token = try await server.accessToken(app, scope: "orders:read")
            let jwt = try DecodedJWT(token)
            let reply = try await server.introspect(token, as: .app(app, auth))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply["active"] as? Bool == true)
            #expect(reply.string("scope") == "orders:read")
            #expect(reply.string("client_id") == app.clientId)
            #expect(reply.string("token_type") == "Bearer")
            #expect(reply.string("sub") == app.clientId)
            #expect(reply.string("aud") == server.audience)
            #expect(reply.string("iss") == server.issuer)
            #expect(reply.string("jti") == jwt.string("jti"))
            #expect(reply.string("org") == app.organisation)
            #expect(reply.int("exp") == jwt.int("exp"))
            #expect(reply.int("iat") == jwt.int("iat"))
            #expect(reply.int("nbf") == jwt.int("nbf"))
            #expect(try #require(reply.int("exp")) - (try #require(reply.int("iat"))) == 600)
        }
    }

    @Test("A user's access token introspects with sub = the user")
    func userAccessToken() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password"])
            let userId = try await server.createUser("alice")
            let reply = try await server.password(app, username: "alice", password: OAuthFixtures.password)
            let introspected = try await server.introspect(try #require(reply.string("access_token")), as: .app(app))
            #expect(introspected["active"] as? Bool == true)
            #expect(introspected.string("sub") == userId)
            #expect(introspected.string("client_id") == app.clientId)
        }
    }

    static let garbage: [String] = [
        "garbage", "a.b.c", "", " ", "ghrt_", "ghrt_garbage", String(repeating: "x", count: 10_000),
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
    ]

    @Test("Garbage, unknown and malformed tokens are exactly {\"active\":false}", arguments: Self.garbage)
    func garbageIsInactive(_ token: String) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let reply = try await server.introspect(token, as: .app(app))
            if token.isEmpty {
                // An empty token parameter is a missing parameter.
                expectOAuthError(reply, .badRequest, "invalid_request")
            } else {
                expectInactive(reply)
            }
        }
    }

    @Test("A well-formed refresh token that was never issued is inactive")
    func unknownRefreshToken() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            expectInactive(try await server.introspect(SecretFormat.generate(.refreshToken), as: .app(app)))
            expectInactive(try await server.introspect(SecretFormat.generate(.clientSecret), as: .app(app)))
        }
    }

    @Test("Tokens signed with the server's key are inactive when expired, not yet valid, or for another iss, aud or typ")
    func mintedTokens() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let now = Date()
            // The control: a token minted here exactly as the server would is active.
            let valid = try server.mint(server.claims(for: app, now: now))
            let active = try await server.introspect(valid, as: .app(app))
            #expect(active["active"] as? Bool == true, "\(active.text)")

            var expired = server.claims(for: app, now: now.addingTimeInterval(-7200), lifetime: 3600)
            expired.jti = UUID().uuidString
            expectInactive(try await server.introspect(try server.mint(expired), as: .app(app)))

            var justExpired = server.claims(for: app, now: now.addingTimeInterval(-60), lifetime: 60)
            justExpired.exp = Int(now.timeIntervalSince1970) - 1
            expectInactive(try await server.introspect(try server.mint(justExpired), as: .app(app)))

            var future = server.claims(for: app, now: now)
            future.nbf = Int(now.timeIntervalSince1970) + 3600
            expectInactive(try await server.introspect(try server.mint(future), as: .app(app)))

            var foreignIssuer = server.claims(for: app, now: now)
            foreignIssuer.iss = "https://evil.example.com"
            expectInactive(try await server.introspect(try server.mint(foreignIssuer), as: .app(app)))

            var foreignAudience = server.claims(for: app, now: now)
            foreignAudience.aud = "https://other.example.com"
            expectInactive(try await server.introspect(try server.mint(foreignAudience), as: .app(app)))

            expectInactive(try await server.introspect(try server.mint(server.claims(for: app, now: now), type: "JWT"), as: .app(app)))
        }
    }

    @Test("Another organisation's caller gets {\"active\":false} for a valid token; the admin sees it")
    func foreignOrganisation() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            try await server.api.createOrganisation("globex")
            let acme = try await server.createApp(name: "acme-app", scopes: ["x"], organisation: "acme")
            let acmeOther = try await server.createApp(name: "acme-other", organisation: "acme")
            let globex = try await server.createApp(name: "globex-app", organisation: "globex")
            let token = try await server.accessToken(acme)

            expectInactive(try await server.introspect(token, as: .app(globex)))
            #expect(try await server.introspect(token, as: .app(acmeOther))["active"] as? Bool == true, "same organisation, another app")
            let admin = try await server.introspect(token, as: .admin)
            #expect(admin.status == .ok)
            #expect(admin["active"] as? Bool == true)
            #expect(admin.string("org") == acme.organisation)
            #expect(admin.string("client_id") == acme.clientId)

            // The same for refresh tokens.
            let portal = try await server.createApp(name: "portal", grantTypes: ["password", "refresh_token"], organisation: "acme")
            try await server.createUser("alice", organisation: "acme")
            let tokens = try await server.passwordTokens(portal, username: "alice")
            expectInactive(try await server.introspect(tokens.refresh, as: .app(globex)))
            #expect(try await server.introspect(tokens.refresh, as: .app(acme))["active"] as? Bool == true)
        }
    }

    @Test("An API user may introspect tokens of its own organisation only")
    func apiUserIntrospects() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            let app = try await server.createApp()
            let acme = try await server.createApp(name: "acme", organisation: "acme")
            try await server.createUser("svc", password: "service password", apiUser: true)
            let caller = OAuthCaller.apiUser("svc", "service password")
            #expect(try await server.introspect(try await server.accessToken(app), as: caller)["active"] as? Bool == true)
            expectInactive(try await server.introspect(try await server.accessToken(acme), as: caller))
        }
    }

    @Test("A refresh token introspects as active with its client, subject and scopes, and inactive once used")
    func refreshTokenIntrospection() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"], scopes: ["a", "b"])
            let userId = try await server.createUser("alice")
            let tokens = try await server.passwordTokens(app, username: "alice", scope: "a")
            let reply = try await server.introspect(tokens.refresh, as: .app(app))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply["active"] as? Bool == true)
            #expect(reply.string("token_type") == "refresh_token")
            #expect(reply.string("client_id") == app.clientId)
            #expect(reply.string("sub") == userId)
            #expect(reply.string("scope") == "a")
            #expect(reply.string("org") == app.organisation)
            #expect(reply.string("iss") == server.issuer)
            let exp = try #require(reply.int("exp"))
            let iat = try #require(reply.int("iat"))
            #expect(exp - iat == 30 * 86_400)

            #expect(try await server.refresh(app, tokens.refresh).status == .ok)
            expectInactive(try await server.introspect(tokens.refresh, as: .app(app)))
        }
    }

    @Test("Disabling the user or changing its password makes its refresh tokens inactive")
    func refreshTokenOfChangedUser() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            let alice = try await server.createUser("alice")
            let bob = try await server.createUser("bob")
            let alices = try await server.passwordTokens(app, username: "alice")
            let bobs = try await server.passwordTokens(app, username: "bob")
            #expect(try await server.api.patch("/admin/v1/users/\(alice)", ["disabled": true]).status == .ok)
            #expect(try await server.api.patch("/admin/v1/users/\(bob)", ["password": "a brand new password"]).status == .ok)
            expectInactive(try await server.introspect(alices.refresh, as: .app(app)))
            expectInactive(try await server.introspect(bobs.refresh, as: .app(app)))
            expectOAuthError(try await server.refresh(app, bobs.refresh), .badRequest, "invalid_grant")
            #expect(try await server.passwordTokens(app, username: "bob", password: "a brand new password").refresh.isEmpty == false)
        }
    }

    @Test("A token of an app with as many scopes as it may have still introspects as active")
    func manyScopes() async throws {
        try await withOAuthServer { server in
            // 100 scopes (the most an app may list) of 60 characters, like URL-style scopes.
            let scopes = (0..<100).map { "https://api.example.com/auth/resource-\(String(format: "%03d", $0))." + String(repeating: "r", count: 18) }
            #expect(scopes.allSatisfy { $0.count == 60 })
            let app = try await server.createApp(scopes: scopes)
            let token = try await server.accessToken(app)
            #expect(try DecodedJWT(token).string("scope")?.split(separator: " ").count == 100)
            #expect(token.utf8.count > 8192, "\(token.utf8.count) bytes")
            let reply = try await server.introspect(token, as: .app(app))
            #expect(reply["active"] as? Bool == true, "a \(token.utf8.count)-byte token the server issued itself")
            // Revocation goes through the same parser, and works too.
            #expect(try await server.revoke(token, as: .app(app)).status == .ok)
            #expect(try await server.introspect(token, as: .app(app))["active"] as? Bool == false)
        }
    }

    @Test("Introspection requires client authentication or an admin key", arguments: [
        OAuthCaller.none, .header("Bearer \(SecretFormat.generate(.adminKey))"), .header("Bearer garbage"),
        .header(basicAuthorization("nobody", "nothing")),
    ])
    func introspectionNeedsAuthentication(_ caller: OAuthCaller) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let reply = try await server.introspect(token, as: caller)
            expectOAuthError(reply, .unauthorized, "invalid_client")
            #expect(reply["active"] == nil)
        }
    }

    @Test("Introspection with a wrong app secret is invalid_client, never an answer about the token")
    func introspectionWrongSecret() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let wrong = OAuthApp(id: app.id, clientId: app.clientId, secret: SecretFormat.generate(.clientSecret), organisation: app.organisation)
            expectOAuthError(try await server.introspect(token, as: .app(wrong, .basic)), .unauthorized, "invalid_client", basicChallenge: true)
            expectOAuthError(try await server.introspect(token, as: .app(wrong, .post)), .unauthorized, "invalid_client", basicChallenge: false)
        }
    }

    @Test("Introspection refuses a JSON body and a missing token parameter")
    func introspectionBadRequests() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let json = try await server.send(
                "/oauth/introspect", body: ByteBuffer(string: #"{"token":"\#(token)"}"#), contentType: "application/json",
                authorization: basicAuthorization(app.clientId, app.secret)
            )
            expectOAuthError(json, .badRequest, "invalid_request")
            expectOAuthError(try await server.form("/oauth/introspect", [], as: .app(app)), .badRequest, "invalid_request")
            expectOAuthError(try await server.form("/oauth/introspect", [("token", token), ("token", token)], as: .app(app)), .badRequest, "invalid_request")
        }
    }

    // MARK: revocation

    @Test("Revoking an access token makes it inactive everywhere")
    func revokeAccessToken() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let other = try await server.accessToken(app)
            let reply = try await server.revoke(token, as: .app(app))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            expectInactive(try await server.introspect(token, as: .app(app)))
            expectInactive(try await server.introspect(token, as: .admin))
            #expect(try await server.isActive(other), "only that token (jti) is revoked")
            // Revoking twice is fine.
            #expect(try await server.revoke(token, as: .app(app, .post)).status == .ok)
        }
    }

    @Test("Revoking a refresh token revokes its family")
    func revokeRefreshFamily() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password", "refresh_token"])
            try await server.createUser("alice")
            let first = try await server.passwordTokens(app, username: "alice")
            let rotated = try #require(try await server.refresh(app, first.refresh).string("refresh_token"))
            let otherFamily = try await server.passwordTokens(app, username: "alice")

            // Revoking the consumed ancestor ends the live descendant.
            #expect(try await server.revoke(first.refresh, as: .app(app)).status == .ok)
            expectInactive(try await server.introspect(rotated, as: .app(app)))
            expectOAuthError(try await server.refresh(app, rotated), .badRequest, "invalid_grant")
            #expect(try await server.isActive(otherFamily.refresh))

            #expect(try await server.revoke(otherFamily.refresh, as: .app(app, .post)).status == .ok)
            expectInactive(try await server.introspect(otherFamily.refresh, as: .app(app)))
            expectOAuthError(try await server.refresh(app, otherFamily.refresh), .badRequest, "invalid_grant")
        }
    }

    @Test("Revoking an unknown or malformed token answers 200", arguments: [
        "garbage", "a.b.c", SecretFormat.generate(.refreshToken), SecretFormat.generate(.clientSecret), String(repeating: "x", count: 5000),
    ])
    func revokeUnknown(_ token: String) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let reply = try await server.revoke(token, as: .app(app))
            #expect(reply.status == .ok, "\(reply.text)")
        }
    }

    @Test("Revoking another client's tokens answers 200 and leaves them active")
    func revokeForeign() async throws {
        try await withOAuthServer { server in
            let owner = try await server.createApp(name: "owner", grantTypes: ["client_credentials", "password", "refresh_token"])
            let stranger = try await server.createApp(name: "stranger")
            try await server.createUser("alice")
            let access = try await server.accessToken(owner)
            let tokens = try await server.passwordTokens(owner, username: "alice")

            #expect(try await server.revoke(access, as: .app(stranger)).status == .ok)
            #expect(try await server.revoke(tokens.refresh, as: .app(stranger)).status == .ok)
            #expect(try await server.revoke(tokens.access, as: .app(stranger)).status == .ok)
            #expect(try await server.isActive(access))
            #expect(try await server.isActive(tokens.access))
            #expect(try await server.isActive(tokens.refresh))
            #expect(try await server.refresh(owner, tokens.refresh).status == .ok)
        }
    }

    @Test("An API user can revoke its own access tokens but not an app's")
    func apiUserRevokes() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            try await server.createUser("svc", password: "service password", apiUser: true)
            let caller = OAuthCaller.apiUser("svc", "service password")
            let own = try #require(try await server.token([("grant_type", "client_credentials")], as: caller).string("access_token"))
            let apps = try await server.accessToken(app)
            #expect(try await server.revoke(apps, as: caller).status == .ok)
            #expect(try await server.isActive(apps))
            #expect(try await server.revoke(own, as: caller).status == .ok)
            #expect(try await server.isActive(own) == false)
        }
    }

    @Test("Revocation requires client authentication; an admin key is not a client", arguments: [
        OAuthCaller.none, .admin, .header("Bearer garbage"), .header(basicAuthorization("nobody", "nothing")),
    ])
    func revocationNeedsAuthentication(_ caller: OAuthCaller) async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            expectOAuthError(try await server.revoke(token, as: caller), .unauthorized, "invalid_client")
            #expect(try await server.isActive(token))
        }
    }

    @Test("Revocation with a wrong secret is invalid_client and revokes nothing")
    func revocationWrongSecret() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let wrong = OAuthApp(id: app.id, clientId: app.clientId, secret: SecretFormat.generate(.clientSecret), organisation: app.organisation)
            expectOAuthError(try await server.revoke(token, as: .app(wrong)), .unauthorized, "invalid_client", basicChallenge: true)
            #expect(try await server.isActive(token))
        }
    }

    @Test("Revocation refuses a missing token parameter and a JSON body")
    func revocationBadRequests() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            expectOAuthError(try await server.form("/oauth/revoke", [], as: .app(app)), .badRequest, "invalid_request")
            let json = try await server.send(
                "/oauth/revoke", body: ByteBuffer(string: #"{"token":"x"}"#), contentType: "application/json",
                authorization: basicAuthorization(app.clientId, app.secret)
            )
            expectOAuthError(json, .badRequest, "invalid_request")
        }
    }
}

extension OAuthCaller: CustomTestStringConvertible {
    var testDescription: String {
        switch self {
        case .app(_, let auth): "app (\(auth))"
        case .apiUser(let username, _): "API user \(username)"
        case .admin: "admin key"
        case .none: "no credentials"
        case .header(let value): "Authorization: \(value.prefix(20))…"
        }
    }
}
