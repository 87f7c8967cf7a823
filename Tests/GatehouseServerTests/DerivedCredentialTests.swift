import Foundation
import GatehouseCore
import HTTPTypes
import Testing

/// Issue 14, point 5: every credential derived from another stops when what it came from stops —
/// deleted, disabled or expired — at once, on the check and at introspection.
@Suite("Derived credentials stop with their source")
struct DerivedCredentialTests {
    /// A credential obtained with another one.
    enum Derived: String, Sendable, CaseIterable {
        /// A consumer token exchanged with an application's API key (SPEC §4).
        case consumerTokenOfAppKey = "consumer token (application's API key)"
        /// A consumer token exchanged with a user's API key (`client_id` `apikey:<id>`).
        case consumerTokenOfUserKey = "consumer token (user's API key)"
        /// A consumer token exchanged with an identifier + pass code (and an application's API key).
        case consumerTokenOfPassCode = "consumer token (identifier + pass code)"
        /// A customer-session token opened with an application's token (`sessionAccess: any`).
        case customerSession = "customer-session token"
        /// A client_credentials token of a `sessionAccess: auto` application, acting for its customer.
        case autoSession = "auto session token"
        /// A password-grant access token.
        case passwordToken = "password-grant access token"

        var isConsumerToken: Bool { [.consumerTokenOfAppKey, .consumerTokenOfUserKey, .consumerTokenOfPassCode].contains(self) }
        var actsForACustomer: Bool { self == .customerSession || self == .autoSession }
    }

    /// How a source stops.
    enum Stop: String, Sendable, CaseIterable {
        case deleteAPIKey = "its API key is deleted"
        case disableAPIKey = "its API key is disabled"
        case expireAPIKey = "its API key expires"
        case deleteKeyOwner = "its API key's owner is deleted"
        case disableKeyOwner = "its API key's owner is disabled"
        case deleteUser = "its consumer/customer/user is deleted"
        case disableUser = "its consumer/customer/user is disabled"
        case deleteApplication = "its application is deleted"
        case disableApplication = "its application is disabled"
        case deleteCredential = "its consumer credential is deleted"
        case disableCredential = "its consumer credential is disabled"
        case endSessionAccess = "its application's sessionAccess becomes none"
        case actForAnotherCustomer = "its application now acts only for another customer (auto)"

        func applies(to derived: Derived) -> Bool {
            switch self {
            case .deleteAPIKey, .disableAPIKey, .expireAPIKey, .deleteKeyOwner, .disableKeyOwner: derived.isConsumerToken
            case .deleteUser, .disableUser: true
            case .deleteApplication, .disableApplication: derived != .consumerTokenOfUserKey
            case .deleteCredential, .disableCredential: derived.isConsumerToken
            case .endSessionAccess, .actForAnotherCustomer: derived.actsForACustomer
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var derived: Derived
        var stop: Stop
        var testDescription: String { "\(derived.rawValue): \(stop.rawValue)" }
    }

    static let cases = Derived.allCases.flatMap { derived in
        Stop.allCases.filter { $0.applies(to: derived) }.map { Case(derived: derived, stop: $0) }
    }

    /// A derived token and the ids of what it came from.
    struct Issued {
        var token: String
        var userId: String
        var applicationId: String?
        var apiKeyId: String?
        /// The owner of a user's API key (for consumer tokens of a user's key).
        var keyOwnerId: String?
        /// The consumer credential a consumer token was exchanged with.
        var credentialId: String?
    }

    @Test("A derived credential passes the check until its source stops, then is refused at once", arguments: cases)
    func stopsWithItsSource(_ testCase: Case) async throws {
        try await withCheckServer { server in
            let issued = try await Self.issue(testCase.derived, on: server)
            expectOK(try await server.check(.bearer(issued.token), "GET", "/v1/orders/1"), "before the stop")
            if !testCase.derived.isConsumerToken { #expect(try await server.isActive(issued.token)) }

            try await Self.apply(testCase.stop, to: issued, on: server)

            expectUnauthorized(try await server.check(.bearer(issued.token), "GET", "/v1/orders/1"), "after: \(testCase.stop.rawValue)")
            #expect(try await server.isActive(issued.token) == false)
        }
    }

    static func issue(_ derived: Derived, on server: OAuthServer) async throws -> Issued {
        switch derived {
        case .consumerTokenOfAppKey:
            let fixture = try await server.consumerFixture()
            let token = try await consumerToken(server, apiKey: fixture.apiKey, code: fixture.code)
            return Issued(
                token: token, userId: fixture.userId, applicationId: fixture.app.id, apiKeyId: fixture.apiKeyId, credentialId: fixture.codeId
            )
        case .consumerTokenOfPassCode:
            let fixture = try await server.consumerFixture()
            let token = try expectConsumerToken(try await server.consumerToken(
                apiKey: fixture.apiKey, ["access_token_identifier": ["identifier": fixture.identifier, "pass_code": fixture.passCode]]
            ))
            return Issued(
                token: token, userId: fixture.userId, applicationId: fixture.app.id, apiKeyId: fixture.apiKeyId, credentialId: fixture.passCodeId
            )
        case .consumerTokenOfUserKey:
            let fixture = try await server.consumerFixture()
            let owner = try await server.createUser("integrator")
            let key = try await server.createAPIKey(["name": "user key", "user": owner, "scopes": ["consumers"]])
            let token = try await consumerToken(server, apiKey: key.key, code: fixture.code)
            return Issued(token: token, userId: fixture.userId, apiKeyId: key.id, keyOwnerId: owner, credentialId: fixture.codeId)
        case .customerSession:
            let app = try await server.createSessionApp("any")
            let customer = try await server.createUser("carol")
            let appToken = try await server.accessToken(app, scope: "orders:read")
            let reply = try await server.customerSession(appToken, ["customer": "carol"])
            return Issued(token: try #require(reply.string("access_token"), "\(reply.text)"), userId: customer, applicationId: app.id)
        case .autoSession:
            let customer = try await server.createUser("dave")
            let app = try await server.createSessionApp("auto", customer: "dave")
            return Issued(token: try await server.accessToken(app), userId: customer, applicationId: app.id)
        case .passwordToken:
            let app = try await server.createApp(name: "web", grantTypes: ["password", "refresh_token"], scopes: ["orders:read"])
            let user = try await server.createUser("erin")
            return Issued(token: try await server.passwordTokens(app, username: "erin").access, userId: user, applicationId: app.id)
        }
    }

    static func consumerToken(_ server: OAuthServer, apiKey: String, code: String) async throws -> String {
        try expectConsumerToken(try await server.consumerToken(apiKey: apiKey, ["access_token_identifier": ["authentication_code": code]]))
    }

    static func apply(_ stop: Stop, to issued: Issued, on server: OAuthServer) async throws {
        let api = server.api
        let reply: Reply
        switch stop {
        case .deleteAPIKey: reply = try await api.delete("/admin/v1/apikeys/\(try #require(issued.apiKeyId))")
        case .disableAPIKey: reply = try await api.patch("/admin/v1/apikeys/\(try #require(issued.apiKeyId))", ["disabled": true])
        case .expireAPIKey:
            // The key expires two seconds from now, with no change announced when it does.
            let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2).rounded(.down))
            reply = try await api.patch("/admin/v1/apikeys/\(try #require(issued.apiKeyId))", ["expiresAt": expiry.formatted(.iso8601)])
            try await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow) + 0.2))
        case .deleteKeyOwner: reply = try await api.delete(try keyOwnerPath(issued))
        case .disableKeyOwner: reply = try await api.patch(try keyOwnerPath(issued), ["disabled": true])
        case .deleteUser: reply = try await api.delete("/admin/v1/users/\(issued.userId)")
        case .disableUser: reply = try await api.patch("/admin/v1/users/\(issued.userId)", ["disabled": true])
        case .deleteApplication: reply = try await api.delete("/admin/v1/apps/\(try #require(issued.applicationId))")
        case .disableApplication: reply = try await api.patch("/admin/v1/apps/\(try #require(issued.applicationId))", ["disabled": true])
        case .deleteCredential: reply = try await api.delete("/admin/v1/consumer-credentials/\(try #require(issued.credentialId))")
        case .disableCredential: reply = try await api.patch("/admin/v1/consumer-credentials/\(try #require(issued.credentialId))", ["disabled": true])
        case .endSessionAccess: reply = try await api.patch("/admin/v1/apps/\(try #require(issued.applicationId))", ["sessionAccess": "none"])
        case .actForAnotherCustomer:
            let other = try await server.createUser("other-\(UUID().uuidString.prefix(8))")
            reply = try await api.patch(
                "/admin/v1/apps/\(try #require(issued.applicationId))", ["sessionAccess": "auto", "sessionCustomer": other]
            )
        }
        try #require((200..<300).contains(reply.status.code), "\(stop.rawValue): \(reply.status) \(reply.text)")
    }

    /// The admin path of the owner of the token's API key: a user, or the application.
    static func keyOwnerPath(_ issued: Issued) throws -> String {
        if let owner = issued.keyOwnerId { return "/admin/v1/users/\(owner)" }
        return "/admin/v1/apps/\(try #require(issued.applicationId))"
    }

    @Test("A consumer token never outlives the API key it was exchanged with: its exp is at most the key's expiry")
    func consumerTokenExpiresWithItsKey() async throws {
        try await withCheckServer { server in
            let fixture = try await server.consumerFixture()
            let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded(.down))
            let key = try await server.createAPIKey([
                "name": "short key", "application": fixture.app.id, "scopes": ["orders:read"], "expiresAt": expiry.formatted(.iso8601),
            ])
            let token = try await Self.consumerToken(server, apiKey: key.key, code: fixture.code)
            let jwt = try DecodedJWT(token)
            #expect(try #require(jwt.int("exp")) <= Int(expiry.timeIntervalSince1970))
            #expect(jwt.string("api_key_id") == key.id)
        }
    }

    @Test("A refresh token is inactive, and refused, once its user is disabled or deleted, or its application disabled")
    func refreshTokenStopsWithItsSources() async throws {
        try await withOAuthServer { server in
            for stop in [Stop.disableUser, .deleteUser, .disableApplication] {
                let app = try await server.createApp(name: "web \(stop)", grantTypes: ["password", "refresh_token"], scopes: ["orders:read"])
                let username = "frank-\(UUID().uuidString.prefix(6))"
                let user = try await server.createUser(username)
                let refresh = try await server.passwordTokens(app, username: username).refresh
                #expect(try await server.isActive(refresh))
                try await Self.apply(stop, to: Issued(token: refresh, userId: user, applicationId: app.id), on: server)
                #expect(try await server.isActive(refresh) == false, "\(stop.rawValue)")
                #expect(try await server.refresh(app, refresh).status != .ok, "\(stop.rawValue)")
            }
        }
    }

    @Test("A customer session and a consumer token obtained with an access token stop when that token is revoked")
    func stopsWithTheTokenItWasObtainedWith() async throws {
        try await withCheckServer { server in
            let app = try await server.createSessionApp("any")
            try await server.createUser("carol")
            let appToken = try await server.accessToken(app, scope: "orders:read")
            let session = try #require(try await server.customerSession(appToken, ["customer": "carol"]).string("access_token"))
            #expect(try DecodedJWT(session).string("parent_jti") == (try DecodedJWT(appToken).string("jti")))

            let fixture = try await server.consumerFixture()
            let userToken = try await server.passwordTokens(fixture.app, username: "alice").access
            let consumer = try expectConsumerToken(
                try await server.consumerToken(apiKey: fixture.apiKey, ["jwt": userToken, "organisation": "default"])
            )
            for token in [session, consumer] { expectOK(try await server.check(.bearer(token), "GET", "/v1/orders/1")) }

            #expect(try await server.revoke(appToken, as: .app(app)).status == .ok)
            #expect(try await server.revoke(userToken, as: .app(fixture.app)).status == .ok)
            for token in [session, consumer] { expectUnauthorized(try await server.check(.bearer(token), "GET", "/v1/orders/1")) }
            #expect(try await server.isActive(session) == false)
        }
    }

    @Test("A consumer token's key is looked up by id once, then from the cache; a change drops it at once")
    func keyLivenessIsCached() async throws {
        try await VerifierBench.with { bench in
            let verifier = bench.verifier()
            let issued = try await bench.createKey(verifier)
            bench.store.reset()
            for _ in 0..<5 { #expect(try await verifier.usableKey(id: issued.apiKey.id, now: bench.now) != nil) }
            #expect(bench.store.count("apiKey(id:)") == 1, "warm lookups read no database: \(bench.store.all)")
            var patch = APIKeyPatch()
            patch.disabled = .set(true)
            _ = try await bench.manager(verifier).update(issued.apiKey.id, with: patch, by: .commandLine, now: bench.now)
            #expect(try await verifier.usableKey(id: issued.apiKey.id, now: bench.now) == nil, "disabled: refused at once")
            let later = try await bench.createKey(verifier, expiresAt: bench.now.addingTimeInterval(60))
            #expect(try await verifier.usableKey(id: later.apiKey.id, now: bench.now.addingTimeInterval(59)) != nil)
            #expect(try await verifier.usableKey(id: later.apiKey.id, now: bench.now.addingTimeInterval(60)) == nil, "expired, without any change")
            #expect(try await verifier.usableKey(id: "no-such-key", now: bench.now) == nil)
        }
    }

    /// A consumer token minted before tokens named their sources (no `api_key_id`, an
    /// application's `client_id`; or no `consumer_credential_id` and no `parent_jti`) cannot be
    /// tied to them: it is refused (fail closed).
    @Test("A consumer token that names no API key, or neither a consumer credential nor a parent token, is refused")
    func consumerTokenWithoutSource() async throws {
        try await withCheckServer { server in
            let fixture = try await server.consumerFixture()
            var claims = server.claims(for: fixture.app)
            claims.sub = fixture.userId
            claims.consumer_credential_id = fixture.codeId
            expectUnauthorized(try await server.check(.bearer(try server.mint(claims, type: ConsumerToken.type)), "GET", "/v1/orders/1"), "no key")
            claims.api_key_id = fixture.apiKeyId
            claims.consumer_credential_id = nil
            expectUnauthorized(try await server.check(.bearer(try server.mint(claims, type: ConsumerToken.type)), "GET", "/v1/orders/1"), "no credential")
            claims.consumer_credential_id = fixture.codeId
            expectOK(try await server.check(.bearer(try server.mint(claims, type: ConsumerToken.type)), "GET", "/v1/orders/1"), "naming both")
            // Another user's credential does not vouch for this consumer.
            let bob = try await server.createUser("bob")
            let bobsCode = try await server.api.createConsumerCredential(["user": bob, "kind": "authentication_code"])
            claims.consumer_credential_id = try #require(bobsCode["id"] as? String)
            expectUnauthorized(try await server.check(.bearer(try server.mint(claims, type: ConsumerToken.type)), "GET", "/v1/orders/1"), "bob's credential")
        }
    }

    @Test("A token acting for a customer keeps working while the application may still act for that customer")
    func customerTokenKeepsWorkingWhileAllowed() async throws {
        try await withCheckServer { server in
            let dave = try await server.createUser("dave")
            let app = try await server.createSessionApp("auto", customer: "dave")
            let token = try await server.accessToken(app)
            let path = "/admin/v1/apps/\(app.id)"
            let unchanged: [(String, [String: Any])] = [
                ("sessionCustomer names dave by id", ["sessionCustomer": dave]),
                ("sessionCustomer names dave by username again", ["sessionCustomer": "dave"]),
                ("sessionAccess any", ["sessionAccess": "any"]),
            ]
            for (change, fields) in unchanged {
                #expect(try await server.api.patch(path, fields).status == .ok, "\(change)")
                expectOK(try await server.check(.bearer(token), "GET", "/v1/orders/1"), "\(change)")
                #expect(try await server.isActive(token), "\(change)")
            }
        }
    }

    @Test("A consumer token's credential is read by id once, then from the cache; a change or a notification drops it at once")
    func credentialLivenessIsCached() async throws {
        try await VerifierBench.with { bench in
            let cached = CachedStore(bench.store, trust: .unconditional)
            let manager = ConsumerCredentialManager(store: cached, hasher: bench.hasher, passwords: PasswordHasher(rounds: 1000))
            let input = ConsumerCredentialInput(user: bench.user.id, kind: "authentication_code")
            let id = try await manager.create(input, by: .commandLine, now: bench.now).credential.id
            bench.store.reset()
            for _ in 0..<5 { #expect(try await cached.consumerCredential(id: id)?.disabled == false) }
            #expect(bench.store.count("consumerCredential(id:)") == 1, "warm lookups read no database: \(bench.store.all)")
            _ = try await manager.update(id, with: ConsumerCredentialPatch(disabled: .set(true)), by: .commandLine, now: bench.now)
            #expect(try await cached.consumerCredential(id: id)?.disabled == true, "disabled here: seen at once")
            // Another instance's change reaches this one as a notification of its target type.
            for notification in ["consumercredential", "user", "*"] {
                bench.store.reset()
                cached.invalidate(notification)
                _ = try await cached.consumerCredential(id: id)
                _ = try await cached.consumerCredential(id: id)
                #expect(bench.store.count("consumerCredential(id:)") == 1, "\(notification): read again once, then cached")
            }
            try await manager.delete(id, by: .commandLine, now: bench.now)
            #expect(try await cached.consumerCredential(id: id) == nil, "deleted here: seen at once")
        }
    }
}
