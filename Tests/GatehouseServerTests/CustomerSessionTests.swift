import Foundation
import GatehouseCore
import HTTPTypes
import NIOCore
import Testing

extension OAuthServer {
    /// Creates an application with these session settings and returns it as a client.
    func createSessionApp(
        _ sessionAccess: String, customer: String? = nil, organisation: String? = nil, scopes: [String] = ["orders:read", "orders:write"],
        grantTypes: [String] = ["client_credentials"], accessTokenTTL: Int = 900
    ) async throws -> OAuthApp {
        var fields: [String: Any] = [
            "name": "portal", "sessionAccess": sessionAccess, "scopes": scopes, "grantTypes": grantTypes, "accessTokenTTL": accessTokenTTL,
        ]
        if let customer { fields["sessionCustomer"] = customer }
        if let organisation { fields["organisation"] = organisation }
        let created = try await api.createApplication(fields)
        return OAuthApp(
            id: try #require(created["id"] as? String), clientId: try #require(created["clientId"] as? String),
            secret: try #require(created["clientSecret"] as? String), organisation: try #require(created["organisation"] as? String)
        )
    }

    /// `POST /v1/customer-sessions` with `Authorization: Bearer <token>` (none when nil).
    func customerSession(_ token: String?, _ fields: [String: Any]) async throws -> Reply {
        try await send("/v1/customer-sessions", body: jsonBody(fields), contentType: "application/json", authorization: token.map { "Bearer \($0)" })
    }
}

/// Checks a `{"error", "message"}` answer.
func expectSessionError(
    _ reply: Reply, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.string("error") == code, "\(reply.text)", sourceLocation: sourceLocation)
    #expect((reply.string("message") ?? "").isEmpty == false, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    #expect(!reply.text.contains("eyJ"), "no token in an error", sourceLocation: sourceLocation)
    if status == .unauthorized {
        #expect(reply.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#, sourceLocation: sourceLocation)
    }
}

@Suite("Customer sessions")
struct CustomerSessionTests {
    @Test("sessionAccess any: the app's token opens a session acting for a customer named by username or id")
    func any() async throws {
        try await withOAuthServer { server in
            let app = try await server.createSessionApp("any")
            let alice = try await server.createUser("alice")
            let token = try await server.accessToken(app, scope: "orders:read")
            for customer in ["alice", alice] {
                let reply = try await server.customerSession(token, ["customer": customer])
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(Set(reply.object.keys) == ["access_token", "token_type", "expires_in"])
                #expect(reply.string("token_type") == "Bearer")
                #expect(reply.int("expires_in") == 900)
                #expect(reply.headers[.cacheControl] == "no-store")
                let session = try #require(reply.string("access_token"))
                let jwt = try DecodedJWT(session)
                #expect(jwt.header["typ"] as? String == "at+jwt")
                #expect(jwt.string("sub") == alice)
                #expect(jwt.string("customer") == alice)
                #expect(jwt.string("client_id") == app.clientId)
                #expect(jwt.string("scope") == "orders:read")
                #expect(jwt.string("org") == app.organisation)
                #expect(try #require(jwt.int("exp")) - (try #require(jwt.int("iat"))) == 900)
                let introspected = try await server.introspect(session, as: .app(app))
                #expect(introspected["active"] as? Bool == true)
                #expect(introspected.string("customer") == alice)
                #expect(introspected.string("sub") == alice)
            }
            // The session ends with its customer.
            let session = try #require(try await server.customerSession(token, ["customer": "alice"]).string("access_token"))
            #expect(try await server.api.patch("/admin/v1/users/\(alice)", ["disabled": true]).status == .ok)
            #expect(try await server.isActive(session) == false)
        }
    }

    @Test("Unknown, disabled and foreign customers are 404 customer_not_found")
    func unknownCustomers() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            let app = try await server.createSessionApp("any")
            let carol = try await server.createUser("carol", organisation: "acme")
            let dora = try await server.createUser("dora")
            #expect(try await server.api.patch("/admin/v1/users/\(dora)", ["disabled": true]).status == .ok)
            let token = try await server.accessToken(app)
            let before = try await server.api.snapshot()
            for customer in ["nobody", carol, "carol", "dora", dora, "00000000-0000-0000-0000-000000000000", String(repeating: "x", count: 5000)] {
                expectSessionError(try await server.customerSession(token, ["customer": customer]), .notFound, "customer_not_found")
            }
            #expect(try await server.api.snapshot() == before)
        }
    }

    @Test("sessionAccess none or auto: 403 session_access_denied")
    func denied() async throws {
        try await withOAuthServer { server in
            try await server.createUser("alice")
            let none = try await server.createSessionApp("none")
            let auto = try await server.createSessionApp("auto", customer: "alice")
            for app in [none, auto] {
                let token = try await server.accessToken(app)
                expectSessionError(try await server.customerSession(token, ["customer": "alice"]), .forbidden, "session_access_denied")
            }
        }
    }

    @Test("Only an application's own token opens sessions: user, API-user and session tokens are 403")
    func onlyTheAppsOwnToken() async throws {
        try await withOAuthServer { server in
            let app = try await server.createSessionApp("any", grantTypes: ["client_credentials", "password", "refresh_token"])
            try await server.createUser("alice")
            try await server.createUser("robot", apiUser: true)
            let userToken = try await server.passwordTokens(app, username: "alice").access
            let apiUserReply = try await server.token([("grant_type", "client_credentials")], as: .apiUser("robot", OAuthFixtures.password))
            let apiUserToken = try #require(apiUserReply.string("access_token"), "\(apiUserReply.text)")
            let session = try #require(
                try await server.customerSession(try await server.accessToken(app), ["customer": "alice"]).string("access_token")
            )
            for token in [userToken, apiUserToken, session] {
                expectSessionError(try await server.customerSession(token, ["customer": "alice"]), .forbidden, "session_access_denied")
            }
        }
    }

    @Test("A missing, malformed, expired, revoked, foreign-typed or disabled app's token is 401 invalid_token")
    func invalidTokens() async throws {
        try await withOAuthServer { server in
            let app = try await server.createSessionApp("any")
            try await server.createUser("alice")
            let expired = try server.mint(server.claims(for: app, now: Date().addingTimeInterval(-3600), lifetime: 600))
            let wrongType = try server.mint(server.claims(for: app), type: "gh-consumer+jwt")
            let revoked = try await server.accessToken(app)
            #expect(try await server.revoke(revoked, as: .app(app)).status == .ok)
            for token in [nil, "", "garbage", expired, wrongType, revoked, app.secret] as [String?] {
                expectSessionError(try await server.customerSession(token, ["customer": "alice"]), .unauthorized, "invalid_token")
            }
            let basic = try await server.send(
                "/v1/customer-sessions", body: jsonBody(["customer": "alice"]), contentType: "application/json",
                authorization: basicAuthorization(app.clientId, app.secret)
            )
            expectSessionError(basic, .unauthorized, "invalid_token")
            let valid = try await server.accessToken(app)
            #expect(try await server.customerSession(valid, ["customer": "alice"]).status == .ok)
            #expect(try await server.api.patch("/admin/v1/apps/\(app.id)", ["disabled": true]).status == .ok)
            expectSessionError(try await server.customerSession(valid, ["customer": "alice"]), .unauthorized, "invalid_token")
        }
    }

    @Test("Bad bodies are 4xx invalid_request naming the field")
    func badBodies() async throws {
        try await withOAuthServer { server in
            let app = try await server.createSessionApp("any")
            try await server.createUser("alice")
            let token = try await server.accessToken(app)
            let cases: [(String, String?, HTTPResponse.Status, String?)] = [
                (#"{"customer":"alice"}"#, "text/plain", .unsupportedMediaType, nil),
                (#"{"customer":"alice"}"#, nil, .unsupportedMediaType, nil),
                (#"{"customer":"#, "application/json", .badRequest, nil),
                (#"[]"#, "application/json", .badRequest, nil),
                (#"{}"#, "application/json", .badRequest, "customer"),
                (#"{"customer":5}"#, "application/json", .badRequest, "customer"),
                (#"{"customer":null}"#, "application/json", .badRequest, "customer"),
                (#"{"customer":""}"#, "application/json", .badRequest, "customer"),
                (#"{"customer":"alice","scope":"x"}"#, "application/json", .badRequest, "scope"),
                (#"{"customer":"\#(String(repeating: "x", count: 70_000))"}"#, "application/json", .contentTooLarge, nil),
            ]
            let before = try await server.api.snapshot()
            for (body, contentType, status, field) in cases {
                let reply = try await server.send(
                    "/v1/customer-sessions", body: ByteBuffer(string: body), contentType: contentType, authorization: "Bearer \(token)"
                )
                expectSessionError(reply, status, "invalid_request")
                if let field { #expect(reply.string("field") == field, "\(reply.text)") }
            }
            #expect(try await server.api.snapshot() == before)
        }
    }

    @Test("sessionAccess auto: every client_credentials token acts for the fixed customer (username or id)")
    func auto() async throws {
        try await withOAuthServer { server in
            let alice = try await server.createUser("alice")
            for customer in ["alice", alice] {
                let app = try await server.createSessionApp("auto", customer: customer)
                let reply = try await server.clientCredentials(app, scope: "orders:write")
                #expect(reply.status == .ok, "\(reply.text)")
                let token = try #require(reply.string("access_token"))
                let jwt = try DecodedJWT(token)
                #expect(jwt.string("sub") == alice)
                #expect(jwt.string("customer") == alice)
                #expect(jwt.string("client_id") == app.clientId)
                #expect(jwt.string("scope") == "orders:write")
                #expect(reply.int("expires_in") == 900)
                let introspected = try await server.introspect(token, as: .app(app))
                #expect(introspected["active"] as? Bool == true)
                #expect(introspected.string("customer") == alice)
            }
        }
    }

    @Test("sessionAccess auto with a customer that does not resolve to an enabled user of the organisation is invalid_grant")
    func autoUnresolved() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            let carol = try await server.createUser("carol", organisation: "acme")
            let dora = try await server.createUser("dora")
            #expect(try await server.api.patch("/admin/v1/users/\(dora)", ["disabled": true]).status == .ok)
            for customer in ["ghost", carol, "carol", "dora"] {
                let app = try await server.createSessionApp("auto", customer: customer)
                expectOAuthError(try await server.clientCredentials(app), .badRequest, "invalid_grant")
            }
            // The customer is resolved at each request: creating it later makes the app work.
            let app = try await server.createSessionApp("auto", customer: "eve")
            expectOAuthError(try await server.clientCredentials(app), .badRequest, "invalid_grant")
            let eve = try await server.createUser("eve")
            #expect(try DecodedJWT(try await server.accessToken(app)).string("customer") == eve)
        }
    }
}
