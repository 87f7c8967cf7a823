import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// SPEC §7: "Repeated failed authentication from one client or IP is slowed and then refused for
/// a while (`429` with `Retry-After`)", on each endpoint in its own error format.
@Suite struct ThrottleTests {
    /// Three failures lock for a minute; no hold-back, so the tests do not wait.
    static let policy = ThrottlePolicy(limit: 3, window: 60, lockout: 60, slowdownStep: 0)
    /// Six failures lock an address, three an account from one address, ten an account.
    static let accountPolicy = ThrottlePolicy(limit: 6, window: 60, accountFromIPLimit: 3, accountLimit: 10, lockout: 60, slowdownStep: 0)

    func withThrottledServer<Value: Sendable>(
        _ setup: TestingSetup = .router, trustedProxies: [String] = [], _ body: @Sendable (OAuthServer) async throws -> Value
    ) async throws -> Value {
        try await withCheckServer(setup, trustedProxies: trustedProxies, throttle: Self.policy, body)
    }

    /// A 429 with a `Retry-After` of whole seconds within the lockout, never cached.
    func expectRefused(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .tooManyRequests, "\(reply.text)", sourceLocation: sourceLocation)
        let seconds = reply.headers[.retryAfter].flatMap { Int($0) }
        #expect(seconds.map { (1...60).contains($0) } == true, "Retry-After: \(reply.headers[.retryAfter] ?? "none")", sourceLocation: sourceLocation)
        #expect(reply.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    }

    /// A form POST to the OAuth endpoint `uri` as `caller`, from `address` as the trusted proxy names it.
    func form(_ server: OAuthServer, _ uri: String, _ fields: [(String, String)], as caller: OAuthCaller, from address: String) async throws -> Reply {
        try await server.form(uri, fields, as: caller, headers: [.xForwardedFor: address])
    }

    func password(_ server: OAuthServer, _ app: OAuthApp, _ username: String, _ password: String, from address: String) async throws -> Reply {
        try await form(server, "/oauth/token", [("grant_type", "password"), ("username", username), ("password", password)], as: .app(app), from: address)
    }

    static let cc = [("grant_type", "client_credentials")]

    /// A server behind a trusted proxy (127.0.0.1) under ``policy``, with an app, and the same app
    /// with a wrong secret.
    func withAppBehindAProxy(_ body: @Sendable (OAuthServer, OAuthApp, OAuthApp) async throws -> Void) async throws {
        try await withThrottledServer(.live, trustedProxies: loopbackCIDRs) { server in
            let app = try await server.createApp()
            let wrong = OAuthApp(id: app.id, clientId: app.clientId, secret: SecretFormat.generate(.clientSecret), organisation: app.organisation)
            try await body(server, app, wrong)
        }
    }

    @Test func wrongSecretsFromManyAddressesNeverLockTheClientOut() async throws {
        try await withAppBehindAProxy { server, app, wrong in
            for number in 0..<25 {
                let reply = try await form(server, "/oauth/token", Self.cc, as: .app(wrong), from: "203.0.113.\(number)")
                #expect(reply.status == .unauthorized, "\(reply.text)")
            }
            let elsewhere = "198.51.100.26"
            #expect(try await form(server, "/oauth/token", Self.cc, as: .app(app), from: elsewhere).status == .ok)
            #expect(try await form(server, "/oauth/introspect", [("token", "x")], as: .app(app), from: elsewhere).status == .ok)
            #expect(try await form(server, "/oauth/revoke", [("token", "x")], as: .app(app, .post), from: elsewhere).status == .ok)
        }
    }

    @Test func anAddressWithRepeatedWrongSecretsIsRefusedEvenWithTheRightOne() async throws {
        try await withAppBehindAProxy { server, app, wrong in
            for _ in 0..<3 {
                #expect(try await form(server, "/oauth/token", Self.cc, as: .app(wrong), from: "203.0.113.5").status == .unauthorized)
            }
            let refused = try await form(server, "/oauth/token", Self.cc, as: .app(app), from: "203.0.113.5")
            expectRefused(refused)
            #expect(refused.string("error") == "temporarily_unavailable")
            #expect(refused.string("error_description")?.contains("failed authentication") == true)
            #expect(refused.text.contains(app.secret) == false)
            // The same address is refused at introspection and revocation; the client from another is not.
            expectRefused(try await form(server, "/oauth/introspect", [("token", "x")], as: .app(app), from: "203.0.113.5"))
            expectRefused(try await form(server, "/oauth/revoke", [("token", "x")], as: .app(app, .post), from: "203.0.113.5"))
            #expect(try await form(server, "/oauth/token", Self.cc, as: .app(app), from: "203.0.113.6").status == .ok)
        }
    }

    /// A server behind a trusted proxy (127.0.0.1) under ``accountPolicy``, with a password-grant
    /// app and the users alice and bob.
    func withPasswordUsers(_ body: @Sendable (OAuthServer, OAuthApp) async throws -> Void) async throws {
        try await withCheckServer(.live, trustedProxies: loopbackCIDRs, throttle: Self.accountPolicy) { server in
            let app = try await server.createApp(grantTypes: ["password"])
            _ = try await server.createUser("alice")
            _ = try await server.createUser("bob")
            try await body(server, app)
        }
    }

    @Test func wrongPasswordsLockTheUserFromThatAddressNotFromAnother() async throws {
        try await withPasswordUsers { server, app in
            for _ in 0..<25 {
                let reply = try await password(server, app, "alice", "not the password", from: "203.0.113.5")
                #expect(reply.status == .badRequest || reply.status == .tooManyRequests, "\(reply.text)")
            }
            expectRefused(try await password(server, app, "alice", OAuthFixtures.password, from: "203.0.113.5"))
            #expect(try await password(server, app, "alice", OAuthFixtures.password, from: "198.51.100.7").status == .ok)
            #expect(try await password(server, app, "bob", OAuthFixtures.password, from: "198.51.100.7").status == .ok)
        }
    }

    @Test func wrongPasswordsFromManyAddressesLockTheAccountOnlyPastItsOwnLimit() async throws {
        try await withPasswordUsers { server, app in
            // Two guesses from each of four addresses: under every per-address limit, 8 of the account's 10.
            for number in 0..<8 {
                let reply = try await password(server, app, "alice", "not the password", from: "203.0.113.\(number / 2)")
                #expect(reply.status == .badRequest, "\(reply.text)")
            }
            #expect(try await password(server, app, "alice", OAuthFixtures.password, from: "198.51.100.7").status == .ok)
            for number in 0..<2 {
                #expect(try await password(server, app, "alice", "not the password", from: "203.0.113.\(10 + number)").status == .badRequest)
            }
            expectRefused(try await password(server, app, "alice", OAuthFixtures.password, from: "198.51.100.8"))
            #expect(try await password(server, app, "bob", OAuthFixtures.password, from: "198.51.100.8").status == .ok)
        }
    }

    @Test func anAPIUsersWrongPasswordsLockItFromThatAddressOnly() async throws {
        try await withCheckServer(.live, trustedProxies: loopbackCIDRs, throttle: Self.accountPolicy) { server in
            try await server.createUser("svc", password: "service password", apiUser: true)
            for _ in 0..<3 {
                #expect(try await form(server, "/oauth/token", Self.cc, as: .apiUser("svc", "wrong password"), from: "203.0.113.5").status == .unauthorized)
            }
            expectRefused(try await form(server, "/oauth/token", Self.cc, as: .apiUser("svc", "service password"), from: "203.0.113.5"))
            #expect(try await form(server, "/oauth/token", Self.cc, as: .apiUser("svc", "service password"), from: "198.51.100.7").status == .ok)
        }
    }

    @Test func otherGrantFailuresAreNotFailedAuthentication() async throws {
        try await withThrottledServer { server in
            let app = try await server.createApp(grantTypes: ["client_credentials", "refresh_token"])
            for _ in 0..<5 {
                #expect(try await server.refresh(app, SecretFormat.generate(.refreshToken)).status == .badRequest)
                #expect(try await server.clientCredentials(app, scope: "not-granted").status == .badRequest)
            }
            #expect(try await server.clientCredentials(app).status == .ok)
        }
    }

    @Test func wrongAdminKeysLockTheIPButAMissingOneDoesNotCount() async throws {
        try await withThrottledServer(.live) { server in
            for _ in 0..<5 {
                expectError(try await server.api.get("/admin/v1/orgs", credential: .none), .unauthorized, "unauthorized")
            }
            #expect(try await server.api.get("/admin/v1/orgs").status == .ok)
            for _ in 0..<3 {
                let wrong = Credential.header("Bearer " + SecretFormat.generate(.adminKey))
                expectError(try await server.api.get("/admin/v1/orgs", credential: wrong), .unauthorized, "unauthorized")
            }
            let refused = try await server.api.get("/admin/v1/orgs")
            expectRefused(refused)
            expectError(refused, .tooManyRequests, "too_many_failed_attempts")
            // Introspection with an admin key counts against the same IP.
            expectRefused(try await server.introspect("x", as: .admin))
        }
    }

    @Test func theCheckEndpointLocksTheClientIPThatTrustedProxiesName() async throws {
        try await withThrottledServer(.live, trustedProxies: loopbackCIDRs) { server in
            let app = try await server.createPolicyApp()
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            let attacker = [("X-Forwarded-For", "203.0.113.5")]
            for _ in 0..<5 {
                expectUnauthorized(try await server.check(.none, headers: attacker))
            }
            for _ in 0..<3 {
                expectUnauthorized(try await server.check(.apiKeyHeader(SecretFormat.generate(.apiKey)), headers: attacker))
            }
            let refused = try await server.check(.apiKeyHeader(key), headers: attacker)
            expectRefused(refused)
            #expect(refused.string("error") == "too_many_failed_attempts")
            // Another client behind the same proxy is not refused.
            expectOK(try await server.check(.apiKeyHeader(key), headers: [("X-Forwarded-For", "203.0.113.6")]))
        }
    }

    @Test func wrongPassCodesLockTheIdentifierFromThatAddressInTheEnvelope() async throws {
        try await withCheckServer(.live, trustedProxies: loopbackCIDRs, throttle: Self.accountPolicy) { server in
            let fixture = try await server.consumerFixture()
            let wrong = fixture.passCode == "00000000" ? "11111111" : "00000000"
            func exchange(_ identifier: [String: String], from address: String) async throws -> Reply {
                try await server.send(
                    OAuthServer.consumerPath, body: jsonBody(["access_token_identifier": identifier]), contentType: "application/json",
                    authorization: consumerBasic(fixture.apiKey), headers: [.xForwardedFor: address]
                )
            }
            for _ in 0..<3 {
                let reply = try await exchange(["identifier": fixture.identifier, "pass_code": wrong], from: "203.0.113.5")
                #expect(reply.envelopeCode == "INVALID_CREDENTIALS")
            }
            let refused = try await exchange(["identifier": fixture.identifier, "pass_code": fixture.passCode], from: "203.0.113.5")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.envelopeCode == "TOO_MANY_REQUESTS")
            #expect(refused.isNull("data"))
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
            // The authentication code names no identifier, and the address itself is not locked.
            let byCode = try await exchange(["authentication_code": fixture.code], from: "203.0.113.5")
            #expect(byCode.status == .ok, "\(byCode.text)")
            let elsewhere = try await exchange(["identifier": fixture.identifier, "pass_code": fixture.passCode], from: "198.51.100.7")
            #expect(elsewhere.status == .ok, "\(elsewhere.text)")
        }
    }

    @Test func badBearerTokensAtCustomerSessionsLockTheIP() async throws {
        try await withThrottledServer(.live) { server in
            for _ in 0..<3 {
                let reply = try await server.send(
                    "/v1/customer-sessions", body: jsonBody(["customer": "alice"]), contentType: "application/json", authorization: "Bearer not-a-token"
                )
                expectError(reply, .unauthorized, "invalid_token")
            }
            let refused = try await server.send(
                "/v1/customer-sessions", body: jsonBody(["customer": "alice"]), contentType: "application/json", authorization: "Bearer not-a-token"
            )
            expectRefused(refused)
            expectError(refused, .tooManyRequests, "too_many_failed_attempts")
        }
    }

    @Test func theServerThrottlesByDefault() {
        #expect(ServerConfiguration().throttle == .standard)
        #expect(ThrottlePolicy.standard.limit == 20)
    }
}
