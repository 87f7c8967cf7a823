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

    @Test func aClientIdWithRepeatedWrongSecretsIsRefusedEvenWithTheRightOne() async throws {
        try await withThrottledServer { server in
            let app = try await server.createApp()
            let other = try await server.createApp(name: "other")
            let wrong = OAuthApp(id: app.id, clientId: app.clientId, secret: SecretFormat.generate(.clientSecret), organisation: app.organisation)
            for _ in 0..<3 {
                #expect(try await server.clientCredentials(wrong).status == .unauthorized)
            }
            let refused = try await server.clientCredentials(app)
            expectRefused(refused)
            #expect(refused.string("error") == "temporarily_unavailable")
            #expect(refused.string("error_description")?.contains("failed authentication") == true)
            #expect(refused.text.contains(app.secret) == false)
            // The same client is refused at introspection and revocation; another client is not.
            expectRefused(try await server.introspect("x", as: .app(app)))
            expectRefused(try await server.revoke("x", as: .app(app, .post)))
            #expect(try await server.clientCredentials(other).status == .ok)
        }
    }

    @Test func wrongPasswordsLockTheUserNotTheApplication() async throws {
        try await withThrottledServer { server in
            let app = try await server.createApp(grantTypes: ["password"])
            _ = try await server.createUser("alice")
            _ = try await server.createUser("bob")
            for _ in 0..<3 {
                let reply = try await server.password(app, username: "alice", password: "not the password")
                #expect(reply.status == .badRequest)
                #expect(reply.string("error") == "invalid_grant")
            }
            expectRefused(try await server.password(app, username: "alice", password: OAuthFixtures.password))
            #expect(try await server.password(app, username: "bob", password: OAuthFixtures.password).status == .ok)
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

    @Test func wrongPassCodesLockTheIdentifierInTheEnvelope() async throws {
        try await withThrottledServer { server in
            let fixture = try await server.consumerFixture()
            let wrong = fixture.passCode == "00000000" ? "11111111" : "00000000"
            for _ in 0..<3 {
                let reply = try await server.consumerToken(
                    apiKey: fixture.apiKey, ["access_token_identifier": ["identifier": fixture.identifier, "pass_code": wrong]]
                )
                #expect(reply.envelopeCode == "INVALID_CREDENTIALS")
            }
            let refused = try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["identifier": fixture.identifier, "pass_code": fixture.passCode]]
            )
            #expect(refused.status == .tooManyRequests)
            #expect(refused.envelopeCode == "TOO_MANY_REQUESTS")
            #expect(refused.isNull("data"))
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
            // The authentication code of the same consumer names no identifier: not locked.
            let byCode = try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]])
            #expect(byCode.status == .ok, "\(byCode.text)")
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
