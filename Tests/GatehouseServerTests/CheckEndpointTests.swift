import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `/v1/check`, forward auth (SPEC §5), over HTTP: credentials, 401s, every 403 reason, the
/// original method and URI headers, hostile paths, client IPs behind trusted proxies, sessions.
@Suite("Forward auth: /v1/check")
struct CheckEndpointTests {
    // MARK: credentials

    @Test("Every credential form is allowed with X-Gatehouse-Subject/Client/Org/Scope")
    func everyCredentialForm() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["authorizationType": "basic"])
            let appIdentity = { (scope: String) in ExpectedIdentity(subject: app.clientId, client: app.clientId, org: app.organisation, scope: scope) }

            // Bearer JWT (client_credentials): the app acts as itself.
            let token = try await server.accessToken(app, scope: "orders:read")
            expectAllowed(try await server.check(.bearer(token)), appIdentity("orders:read"), "Bearer JWT")
            // RFC 7235 §2.1: the scheme is case-insensitive.
            expectAllowed(try await server.check(.authorization("bearer \(token)")), appIdentity("orders:read"), "lower-case scheme")

            // An application's API key: Bearer, X-API-Key, and Basic <key>: with an empty password.
            let appKey = try await server.createAPIKey(["name": "deploy", "application": app.id, "scopes": ["orders:write"]])
            expectAllowed(try await server.check(.bearer(appKey.key)), appIdentity("orders:write"), "Bearer API key")
            expectAllowed(try await server.check(.apiKeyHeader(appKey.key)), appIdentity("orders:write"), "X-API-Key")
            expectAllowed(try await server.check(.basic(appKey.key, "")), appIdentity("orders:write"), "Basic <key>:")

            // Per-request Basic clientId:secret of a `basic` application: the application's scopes.
            expectAllowed(try await server.check(.basic(app.clientId, app.secret)), appIdentity("orders:read orders:write"), "Basic id:secret")

            // A user's API key: subject = the user, client = apikey:<id>, the key's scopes.
            let userId = try await server.createUser("alice")
            let organisation = try await server.defaultOrganisation()
            let userKey = try await server.createAPIKey(["name": "laptop", "user": userId, "scopes": ["profile:read"]])
            let userKeyIdentity = ExpectedIdentity(subject: userId, client: "apikey:\(userKey.id)", org: organisation, scope: "profile:read")
            expectAllowed(try await server.check(.bearer(userKey.key)), userKeyIdentity, "user's key, Bearer")
            expectAllowed(try await server.check(.apiKeyHeader(userKey.key)), userKeyIdentity, "user's key, X-API-Key")
            expectAllowed(try await server.check(.basic(userKey.key, "")), userKeyIdentity, "user's key, Basic")

            // A user's token from the password grant: subject = the user, client = the app.
            let passwordApp = try await server.createPolicyApp(["grantTypes": ["password", "refresh_token"]])
            let userToken = try await server.passwordTokens(passwordApp, username: "alice", scope: "orders:read").access
            expectAllowed(
                try await server.check(.bearer(userToken)),
                ExpectedIdentity(subject: userId, client: passwordApp.clientId, org: organisation, scope: "orders:read"), "password grant token")

            // An API user's token (client_credentials with username:password): client = the username.
            let apiUserId = try await server.createUser("svc", password: "service password", apiUser: true)
            let apiUserReply = try await server.token([("grant_type", "client_credentials")], as: .apiUser("svc", "service password"))
            try #require(apiUserReply.status == .ok, "\(apiUserReply.text)")
            let apiUserToken = try #require(apiUserReply.string("access_token"))
            let apiUserCheck = try await server.check(.bearer(apiUserToken))
            #expect(apiUserCheck.status == .ok, "\(apiUserCheck.text)")
            #expect(apiUserCheck.header("X-Gatehouse-Subject") == apiUserId)
            #expect(apiUserCheck.header("X-Gatehouse-Client") == "svc")
            #expect(apiUserCheck.header("X-Gatehouse-Org") == organisation)
        }
    }

    @Test("The check answers every common method, and the method defaults to the check request's own")
    func everyMethodIsRouted() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let token = try await server.accessToken(app)
            for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options] {
                let reply = try await server.check(.bearer(token), method: method)
                #expect(reply.status == .ok, "\(method) /v1/check → \(reply.status)")
                #expect(reply.header("X-Gatehouse-Client") == app.clientId, "\(method)")
            }
            // No X-Forwarded-Method/X-Original-Method: the check request's method is judged.
            let getOnly = try await server.createPolicyApp(["allowedMethods": ["GET"]])
            let getOnlyToken = try await server.accessToken(getOnly)
            expectOK(try await server.check(.bearer(getOnlyToken), method: .get), "GET, no method header")
            expectDenied(try await server.check(.bearer(getOnlyToken), method: .post), "method_not_allowed", "POST, no method header")
        }
    }

    /// SPEC §5 says `GET|POST|… /v1/check`; nginx `auth_request` subrequests (without `proxy_method`)
    /// and Envoy ext_authz's HTTP service both send the *client's* method, which may be any token.
    @Test("An uncommon method (PROPFIND, PURGE) reaches the check instead of a 404")
    func uncommonMethods() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let token = try await server.accessToken(app)
            for name in ["PROPFIND", "PURGE"] {
                let method = try #require(HTTPRequest.Method(name))
                let reply = try await server.check(.bearer(token), method: method)
                #expect(reply.status == .ok, "\(name) /v1/check → \(reply.status)")
            }
        }
    }

    // MARK: 401

    @Test("No credential or a malformed, typo'd or foreign one is 401 with exactly WWW-Authenticate: Bearer error=\"invalid_token\"")
    func badCredentials() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["authorizationType": "basic"])
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            let token = try await server.accessToken(app)
            let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
            var expired = server.claims(for: app, now: Date().addingTimeInterval(-3600))
            expired.exp = Int(Date().timeIntervalSince1970) - 60
            var foreignIssuer = server.claims(for: app)
            foreignIssuer.iss = "https://elsewhere.example"
            let refresh = SecretFormat.generate(.refreshToken)

            let cases: [Presented] = [
                .none,
                .authorization(""), .authorization("Bearer"), .authorization("Bearer "), .authorization("Bearer garbage"),
                .authorization("Bearer a.b.c"), .authorization("Token \(key)"), .authorization("Digest username=\"x\""),
                .authorization("Basic"), .authorization("Basic !!!not-base64!!!"), .authorization("Basic \(base64("no-colon"))"),
                .apiKeyHeader(""), .apiKeyHeader("garbage"), .apiKeyHeader("ghak_"),
                // A typo'd API key, every way it can be presented.
                .bearer(corrupted(key)), .apiKeyHeader(corrupted(key)), .basic(corrupted(key), ""), .bearer(String(key.dropLast())),
                .bearer(key.uppercased()),
                // A real key with a non-empty password is a clientId:secret pair, and a wrong one.
                .basic(key, "x"),
                // Wrong secret, unknown client, secret as a bearer token.
                .basic(app.clientId, SecretFormat.generate(.clientSecret)), .basic("no-such-client", app.secret), .basic(app.clientId, ""),
                .bearer(app.secret),
                // Secrets that are not access credentials at all.
                .bearer(server.api.key), .apiKeyHeader(server.api.key), .bearer(refresh),
                // A tampered, an expired and a foreign-issuer JWT.
                .bearer(String(token.dropLast()) + (token.last == "A" ? "B" : "A")), .bearer(try server.mint(expired)),
                .bearer(try server.mint(foreignIssuer)),
            ]
            for presented in cases {
                expectUnauthorized(try await server.check(presented), "\(presented)")
                expectUnauthorized(try await server.check(presented, "GET", "/v1/orders/1"), "\(presented), with a forwarded request")
            }
            // The controls.
            expectOK(try await server.check(.bearer(key)))
            expectOK(try await server.check(.bearer(token)))
            expectOK(try await server.check(.bearer(try server.mint(server.claims(for: app)))))
        }
    }

    @Test("X-API-Key, when present, is the credential: a bad one is 401 even beside a good Authorization")
    func apiKeyHeaderComesFirst() async throws {
        try await withCheckServer { server in
            let keyApp = try await server.createPolicyApp()
            let key = try await server.createAPIKey(["name": "k", "application": keyApp.id, "scopes": ["orders:read"]]).key
            let tokenApp = try await server.createPolicyApp()
            let token = try await server.accessToken(tokenApp)
            let both = try await server.check(.bearer(token), headers: [("X-API-Key", key)])
            expectAllowed(both, ExpectedIdentity(subject: keyApp.clientId, client: keyApp.clientId, org: keyApp.organisation, scope: "orders:read"))
            let badKey = try await server.check(.bearer(token), headers: [("X-API-Key", corrupted(key))])
            expectUnauthorized(badKey, "bad X-API-Key, good Bearer")
            let badBearer = try await server.check(.authorization("Bearer garbage"), headers: [("X-API-Key", key)])
            expectOK(badBearer, "good X-API-Key, bad Bearer")
        }
    }

    @Test("An expired API key is 401 (once its expiresAt has passed, even after a cached success)")
    func expiredKey() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let expiresAt = rfc3339(3)
            let key = try await server.createAPIKey(["name": "short", "application": app.id, "expiresAt": expiresAt]).key
            let expiry = try #require(RFC3339.date(expiresAt))
            let before = try await server.check(.bearer(key))
            // A loaded machine (the whole suite runs in parallel) may take the key past its expiry
            // before the first check is answered; only a check answered in time must pass.
            if Date() < expiry { expectOK(before, "before expiry") }
            while Date() < expiry.addingTimeInterval(0.3) { try await Task.sleep(for: .milliseconds(100)) }
            expectUnauthorized(try await server.check(.bearer(key)), "after expiry, Bearer")
            expectUnauthorized(try await server.check(.apiKeyHeader(key)), "after expiry, X-API-Key")
            expectUnauthorized(try await server.check(.basic(key, "")), "after expiry, Basic")
        }
    }

    @Test("A disabled API key is 401 at once, and works again when enabled")
    func disabledKey() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let key = try await server.createAPIKey(["name": "k", "application": app.id])
            expectOK(try await server.check(.apiKeyHeader(key.key)), "before")  // now cached
            #expect(try await server.api.patch("/admin/v1/apikeys/\(key.id)", ["disabled": true]).status == .ok)
            for presented in [Presented.bearer(key.key), .apiKeyHeader(key.key), .basic(key.key, "")] {
                expectUnauthorized(try await server.check(presented), "disabled: \(presented)")
            }
            #expect(try await server.api.patch("/admin/v1/apikeys/\(key.id)", ["disabled": false]).status == .ok)
            expectOK(try await server.check(.apiKeyHeader(key.key)), "re-enabled")
        }
    }

    @Test("A disabled application's token, API key and Basic credential are all 401")
    func disabledApplication() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["authorizationType": "basic"])
            let token = try await server.accessToken(app)
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            let credentials: [Presented] = [.bearer(token), .bearer(key), .apiKeyHeader(key), .basic(key, ""), .basic(app.clientId, app.secret)]
            for presented in credentials { expectOK(try await server.check(presented), "before: \(presented)") }
            #expect(try await server.api.patch("/admin/v1/apps/\(app.id)", ["disabled": true]).status == .ok)
            for presented in credentials { expectUnauthorized(try await server.check(presented), "disabled app: \(presented)") }
        }
    }

    @Test("A disabled user's API key and password-grant token are 401")
    func disabledUser() async throws {
        try await withCheckServer { server in
            let userId = try await server.createUser("alice")
            let key = try await server.createAPIKey(["name": "k", "user": userId]).key
            let app = try await server.createPolicyApp(["grantTypes": ["password", "refresh_token"]])
            let token = try await server.passwordTokens(app, username: "alice").access
            expectOK(try await server.check(.bearer(key)))
            expectOK(try await server.check(.bearer(token)))
            #expect(try await server.api.patch("/admin/v1/users/\(userId)", ["disabled": true]).status == .ok)
            expectUnauthorized(try await server.check(.bearer(key)), "disabled user's key")
            expectUnauthorized(try await server.check(.bearer(token)), "disabled user's token")
        }
    }

    @Test("A revoked JWT (POST /oauth/revoke) is 401; the app's other tokens still pass")
    func revokedToken() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let revoked = try await server.accessToken(app)
            let other = try await server.accessToken(app)
            expectOK(try await server.check(.bearer(revoked)), "before revocation")
            let reply = try await server.revoke(revoked, as: .app(app))
            #expect(reply.status == .ok, "\(reply.text)")
            expectUnauthorized(try await server.check(.bearer(revoked)), "revoked")
            expectOK(try await server.check(.bearer(other)), "another token of the app")
        }
    }

    @Test("A JWT and an API key of a deleted application are 401")
    func deletedApplication() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let token = try await server.accessToken(app)
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            expectOK(try await server.check(.bearer(token)))
            expectOK(try await server.check(.apiKeyHeader(key)))
            #expect(try await server.api.delete("/admin/v1/apps/\(app.id)").status == .noContent)
            expectUnauthorized(try await server.check(.bearer(token)), "deleted app's JWT")
            expectUnauthorized(try await server.check(.apiKeyHeader(key)), "deleted app's key")
        }
    }

    // MARK: 403

    @Test("method_not_allowed: only the listed methods, compared upper-cased; HEAD is not implied by GET")
    func methodNotAllowed() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["allowedMethods": ["GET", "POST"]])
            let token = try await server.accessToken(app)
            for method in ["GET", "POST", "get", "Post"] { expectOK(try await server.check(.bearer(token), method, "/v1/orders/1"), method) }
            for method in ["DELETE", "PUT", "HEAD", "OPTIONS", "GETX", "G ET"] {
                expectDenied(try await server.check(.bearer(token), method, "/v1/orders/1"), "method_not_allowed", method)
            }
        }
    }

    @Test("resource_not_allowed: only paths matching a pattern")
    func resourceNotAllowed() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["resources": ["/v1/orders/**", "/v1/items/*"]])
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            for uri in ["/v1/orders", "/v1/orders/1", "/v1/orders/1/lines/2", "/v1/items/9"] {
                expectOK(try await server.check(.apiKeyHeader(key), "GET", uri), uri)
            }
            for uri in ["/", "/v1", "/v1/users", "/v1/items", "/v1/items/9/x", "/v10/orders/1", "/v1/ordersX"] {
                expectDenied(try await server.check(.apiKeyHeader(key), "GET", uri), "resource_not_allowed", uri)
            }
            // No X-Forwarded-Uri/X-Original-URI at all: the path is "/", not assigned here.
            expectDenied(try await server.check(.apiKeyHeader(key), headers: [("X-Forwarded-Method", "GET")]), "resource_not_allowed", "no URI header")
        }
    }

    @Test("insufficient_scope: every required_scope (repeated or space-separated) must be held")
    func insufficientScope() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            let readToken = try await server.accessToken(app, scope: "orders:read")
            let bothKey = try await server.createAPIKey(["name": "k", "application": app.id]).key
            expectOK(try await server.check(.bearer(readToken), "GET", "/v1/orders", query: "?required_scope=orders:read"))
            expectOK(try await server.check(.bearer(readToken), "GET", "/v1/orders", query: "?required_scope="), "empty required scope")
            for query in [
                "?required_scope=orders:write", "?required_scope=orders:read&required_scope=orders:write",
                "?required_scope=orders:read%20orders:write", "?required_scope=orders", "?required_scope=ORDERS:READ",
            ] {
                expectDenied(try await server.check(.bearer(readToken), "GET", "/v1/orders", query: query), "insufficient_scope", query)
            }
            expectOK(try await server.check(.apiKeyHeader(bothKey), "GET", "/v1/orders", query: "?required_scope=orders:read&required_scope=orders:write"))
        }
    }

    @Test("authorization_type: Basic clientId:secret from a bearer application (its token and Basic API key still pass)")
    func authorizationType() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["authorizationType": "bearer"])
            expectDenied(try await server.check(.basic(app.clientId, app.secret)), "authorization_type")
            // An API key sent as Basic <key>: is an API key, not per-request client authentication.
            let key = try await server.createAPIKey(["name": "k", "application": app.id]).key
            expectOK(try await server.check(.basic(key, "")), "Basic <key>: of a bearer app")
            expectOK(try await server.check(.bearer(try await server.accessToken(app))), "bearer app's token")
        }
    }

    @Test("The first failing check is the reason: authorization_type, ip, method, resource, scope")
    func reasonOrder() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp([
                "allowedIPs": ["203.0.113.0/24"], "allowedMethods": ["GET"], "resources": ["/v1/orders/**"],
            ])
            // Router tests have no peer address: an unknown client IP never passes a non-empty list.
            let basic = Presented.basic(app.clientId, app.secret)
            expectDenied(try await server.check(basic, "DELETE", "/admin", query: "?required_scope=x"), "authorization_type")
            let token = try await server.accessToken(app)
            expectDenied(try await server.check(.bearer(token), "DELETE", "/admin", query: "?required_scope=x"), "ip_not_allowed")

            let open = try await server.createPolicyApp(["allowedMethods": ["GET"], "resources": ["/v1/orders/**"]])
            let openToken = try await server.accessToken(open, scope: "orders:read")
            expectDenied(try await server.check(.bearer(openToken), "DELETE", "/admin", query: "?required_scope=x"), "method_not_allowed")
            expectDenied(try await server.check(.bearer(openToken), "GET", "/admin", query: "?required_scope=x"), "resource_not_allowed")
            expectDenied(try await server.check(.bearer(openToken), "GET", "/v1/orders", query: "?required_scope=x"), "insufficient_scope")
            expectOK(try await server.check(.bearer(openToken), "GET", "/v1/orders", query: "?required_scope=orders:read"))
        }
    }

    // MARK: the original request

    @Test("The original method comes from X-Forwarded-Method or X-Original-Method; two that disagree are refused")
    func methodHeaders() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["allowedMethods": ["GET"]])
            let token = try await server.accessToken(app)
            let uri = ("X-Forwarded-Uri", "/v1/orders/1")
            expectOK(try await server.check(.bearer(token), method: .post, headers: [("X-Forwarded-Method", "GET"), uri]))
            expectDenied(try await server.check(.bearer(token), method: .get, headers: [("X-Forwarded-Method", "DELETE"), uri]), "method_not_allowed")
            expectOK(try await server.check(.bearer(token), method: .post, headers: [("X-Original-Method", "GET"), uri]))
            expectDenied(try await server.check(.bearer(token), method: .get, headers: [("X-Original-Method", "DELETE"), uri]), "method_not_allowed")
            // Both and different: a client may have added the pair its proxy does not set.
            expectDenied(
                try await server.check(.bearer(token), headers: [("X-Forwarded-Method", "GET"), ("X-Original-Method", "DELETE"), uri]),
                "resource_not_allowed")
            expectOK(try await server.check(.bearer(token), headers: [("X-Forwarded-Method", "GET"), ("X-Original-Method", "GET"), uri]))
            // An empty header is absent.
            expectDenied(
                try await server.check(.bearer(token), headers: [("X-Forwarded-Method", ""), ("X-Original-Method", "DELETE"), uri]),
                "method_not_allowed")
        }
    }

    @Test("The original path comes from X-Forwarded-Uri or X-Original-URI; two that disagree are refused")
    func uriHeaders() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["resources": ["/v1/orders/**"]])
            let token = try await server.accessToken(app)
            expectOK(try await server.check(.bearer(token), headers: [("X-Forwarded-Uri", "/v1/orders/1")]))
            expectDenied(try await server.check(.bearer(token), headers: [("X-Forwarded-Uri", "/v1/users")]), "resource_not_allowed")
            expectOK(try await server.check(.bearer(token), headers: [("X-Original-URI", "/v1/orders/1")]))
            expectDenied(try await server.check(.bearer(token), headers: [("X-Original-URI", "/v1/users")]), "resource_not_allowed")
            expectDenied(
                try await server.check(.bearer(token), headers: [("X-Forwarded-Uri", "/v1/orders/1"), ("X-Original-URI", "/v1/users")]),
                "resource_not_allowed")
            expectOK(try await server.check(.bearer(token), headers: [("X-Forwarded-Uri", "/v1/orders/1"), ("X-Original-URI", "/v1/orders/1")]))
            // The check URL's own path and query are not the original request.
            expectDenied(try await server.check(.bearer(token), path: "/v1/check?uri=/v1/orders/1"), "resource_not_allowed")
        }
    }

    /// Envoy's `ext_authz` HTTP service sends `<method> <path_prefix><original path>` with no
    /// X-Forwarded-Uri (`path_prefix: /v1/check` → `GET /v1/check/v1/orders/1`).
    @Test("Envoy ext_authz form: the original path appended to /v1/check is judged")
    func envoyPathPrefix() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["resources": ["/v1/orders/**"], "allowedMethods": ["GET"]])
            let token = try await server.accessToken(app)
            let allowed = try await server.check(.bearer(token), method: .get, path: "/v1/check/v1/orders/1")
            let refused = try await server.check(.bearer(token), method: .get, path: "/v1/check/v1/users")
            expectAllowed(allowed, ExpectedIdentity(subject: app.clientId, client: app.clientId, org: app.organisation, scope: "orders:read orders:write"))
            expectDenied(refused, "resource_not_allowed")
        }
    }

    /// Issue 14 point 1, through the real endpoint: a target an upstream could read another way is
    /// refused, never resolved (the whole class is tabled in `PathNormaliserTests`).
    static let readerDependentPaths: [(path: String, allowed: Bool)] = [
        ("/v1/orders/1", true),
        ("/v1/orders/", true),                         // a trailing slash is literal: under /v1/orders/**
        ("/v1/orders/1?x=/../admin", true),            // the query is not judged
        ("/v1/%6Frders/%31", true),                    // unreserved triplets are decoded
        ("/v1/admin//../orders", false),               // issue 14's example: /v1/admin/orders to a WHATWG reader
        ("//v1/orders/1", false),                      // empty segments are refused, never merged
        ("/v1//orders/1", false),
        ("/v1/orders/./1", false),                     // dot segments are refused, never resolved
        ("/v1/orders/2/../1", false),
        ("/v1/orders/../admin", false),
        ("/v1/orders/%2e%2e/admin", false),
        ("/v1/orders/%2E%2E/admin", false),
        ("/v1/orders/.%2e/admin", false),
        ("/v1/orders/%252e%252e/admin", false),        // an encoded percent (double encoding)
        ("/v1/orders%2fadmin", false),                 // encoded slash and backslash, raw backslash
        ("/v1/orders/%5C..%5Cadmin", false),
        ("/v1/orders\\..\\admin", false),
        ("/v1/orders;x/../admin", false),              // `;` parameters, raw or encoded
        ("/v1/orders/..;/admin", false),
        ("/v1/orders/1%3Bx", false),
        ("/v1/orders/%00", false),                     // NUL, control, overlong UTF-8, invalid triplet
        ("/v1/orders/%C0%AE%C0%AE/admin", false),
        ("/v1/orders/%G1", false),
        ("/v1/orders/1#/../../admin", false),          // a fragment inside the header
        ("http://evil.example/v1/orders/1", false),    // absolute, asterisk and relative forms
        ("*", false),
        ("v1/orders/1", false),
    ]

    @Test("Paths an upstream could read another way are refused on /v1/check, never resolved")
    func readerDependentPathsAreRefused() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["resources": ["/v1/orders/**"]])
            let token = try await server.accessToken(app)
            for (path, allowed) in Self.readerDependentPaths {
                for header in ["X-Forwarded-Uri", "X-Original-URI"] {
                    let reply = try await server.check(.bearer(token), headers: [("X-Forwarded-Method", "GET"), (header, path)])
                    if allowed {
                        expectOK(reply, "\(header): \(path)")
                    } else {
                        expectDenied(reply, "resource_not_allowed", "\(header): \(path)")
                    }
                }
            }
        }
    }

    @Test("A path that could be read another way is refused even for a credential without an application policy")
    func hostilePathsWithoutPolicy() async throws {
        try await withCheckServer { server in
            let userId = try await server.createUser("alice")
            let key = try await server.createAPIKey(["name": "k", "user": userId]).key
            let app = try await server.createPolicyApp()
            let token = try await server.accessToken(app)
            for presented in [Presented.bearer(key), .bearer(token)] {
                expectOK(try await server.check(presented, "GET", "/anything/at/all"), "\(presented)")
                for path in ["/../etc/passwd", "/a%2fb", "/a/..;/b", "/a\\b", "/a/%00", "/a//b", "/a/./b", "/a;x", "/a%25"] {
                    expectDenied(try await server.check(presented, "GET", path), "resource_not_allowed", "\(presented) \(path)")
                }
            }
        }
    }

    @Test("Envoy form: the path in the check URL is judged raw, and an X-Forwarded-Uri or X-Original-URI naming another is refused")
    func envoyPathIsTheOneJudged() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["resources": ["/v1/orders/**"]])
            let token = try await server.accessToken(app)
            expectOK(try await server.check(.bearer(token), path: "/v1/check/v1/orders/1?x=1"))
            expectOK(try await server.check(.bearer(token), path: "/v1/check/v1/orders/1", headers: [("X-Forwarded-Uri", "/v1/orders/1")]))
            for header in ["X-Forwarded-Uri", "X-Original-URI"] {
                expectDenied(
                    try await server.check(.bearer(token), path: "/v1/check/v1/admin", headers: [(header, "/v1/orders/1")]),
                    "resource_not_allowed", header)
                expectDenied(
                    try await server.check(.bearer(token), path: "/v1/check/v1/orders/1", headers: [(header, "/v1/admin")]),
                    "resource_not_allowed", header)
            }
            for path in ["/v1/check/v1/admin//../orders", "/v1/check/v1/orders/%2e%2e/admin", "/v1/check//v1/orders/1", "/v1/check/v1/orders;x/1"] {
                expectDenied(try await server.check(.bearer(token), path: path), "resource_not_allowed", path)
            }
        }
    }

    // MARK: method override

    @Test("Method-override headers and _method are judged on /v1/check: the overriding method must be allowed too, and all must agree")
    func methodOverrideIsJudged() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["allowedMethods": ["GET", "POST"]])
            let token = try await server.accessToken(app)
            let refused: [(String, [(String, String)])] = [
                ("/v1/orders", [("X-HTTP-Method-Override", "DELETE")]),
                ("/v1/orders", [("X_HTTP_Method_Override", "DELETE")]),
                ("/v1/orders", [("X-HTTP-Method", "delete")]),
                ("/v1/orders", [("X-Method-Override", "PUT")]),
                ("/v1/orders?_method=DELETE", []),
                ("/v1/orders", [("X-HTTP-Method-Override", "POST"), ("X-HTTP-Method", "GET")]),
                ("/v1/orders", [("X-HTTP-Method-Override", "NOT A METHOD")]),
            ]
            for (uri, headers) in refused {
                expectDenied(try await server.check(.bearer(token), "GET", uri, extra: headers), "method_not_allowed", "\(uri) \(headers)")
            }
            expectOK(try await server.check(.bearer(token), "GET", "/v1/orders", extra: [("X-HTTP-Method-Override", "POST")]))
            expectOK(try await server.check(.bearer(token), "POST", "/v1/orders?_method=get", extra: [("X-HTTP-Method", "GET")]))
            let open = try await server.accessToken(try await server.createPolicyApp())
            expectOK(try await server.check(.bearer(open), "GET", "/v1/orders", extra: [("X-HTTP-Method-Override", "DELETE")]))
            expectDenied(
                try await server.check(.bearer(open), "GET", "/v1/orders", extra: [("X-HTTP-Method-Override", "DELETE"), ("X-Method-Override", "PUT")]),
                "method_not_allowed")
        }
    }

    // MARK: client IP

    @Test("Without trusted proxies, X-Forwarded-For and X-Real-IP change nothing: the peer is the client")
    func spoofedForwardedForIgnored() async throws {
        try await withCheckServer(.live) { server in
            let remote = try await server.createPolicyApp(["allowedIPs": ["203.0.113.7/32"]])
            let remoteToken = try await server.accessToken(remote)
            let local = try await server.createPolicyApp(["allowedIPs": loopbackCIDRs])
            let localToken = try await server.accessToken(local)
            let spoofs: [[(String, String)]] = [
                [], [("X-Forwarded-For", "203.0.113.7")], [("X-Real-IP", "203.0.113.7")],
                [("X-Forwarded-For", "198.51.100.1, 203.0.113.7")], [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-For", "203.0.113.7")],
                [("X-Forwarded-For", "203.0.113.7"), ("X-Real-IP", "203.0.113.7"), ("Forwarded", "for=203.0.113.7")],
            ]
            for headers in spoofs {
                expectDenied(try await server.check(.bearer(remoteToken), "GET", "/", extra: headers), "ip_not_allowed", "\(headers)")
                expectOK(try await server.check(.bearer(localToken), "GET", "/", extra: headers), "\(headers)")
            }
        }
    }

    @Test("Behind a trusted proxy the rightmost untrusted X-Forwarded-For hop is the client")
    func trustedProxy() async throws {
        try await withCheckServer(.live, trustedProxies: loopbackCIDRs) { server in
            let app = try await server.createPolicyApp(["allowedIPs": ["203.0.113.0/24"]])
            let token = try await server.accessToken(app)
            let hit: [[(String, String)]] = [
                [("X-Forwarded-For", "203.0.113.7")],
                [("X-Forwarded-For", "198.51.100.1, 203.0.113.7")],          // the client's own claim on the left is ignored
                [("X-Forwarded-For", "203.0.113.7, 127.0.0.1")],             // trusted hops are skipped
                [("X-Forwarded-For", "203.0.113.7,127.0.0.1 , ::1")],
                [("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-For", "203.0.113.7")],  // field lines join in order
                [("X-Forwarded-For", "203.0.113.7:5678")],                   // a port is dropped
                [("X-Real-IP", "203.0.113.7")],                              // no X-Forwarded-For: X-Real-IP
            ]
            let miss: [[(String, String)]] = [
                [],                                                           // the peer (loopback) is the client
                [("X-Forwarded-For", "203.0.113.7, 198.51.100.1")],          // spoofed left hop, real client on the right
                [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-For", "198.51.100.1")],
                [("X-Forwarded-For", "unknown")],                            // garbage stops the walk at the peer
                [("X-Forwarded-For", "203.0.113.7, unknown")],
                [("X-Forwarded-For", "198.51.100.1"), ("X-Real-IP", "203.0.113.7")],  // X-Forwarded-For wins over X-Real-IP
            ]
            for headers in hit { expectOK(try await server.check(.bearer(token), "GET", "/", extra: headers), "hit: \(headers)") }
            for headers in miss {
                expectDenied(try await server.check(.bearer(token), "GET", "/", extra: headers), "ip_not_allowed", "miss: \(headers)")
            }

            // IPv6 hops, bracketed with a port.
            let v6 = try await server.createPolicyApp(["allowedIPs": ["2001:db8::/32"]])
            let v6Token = try await server.accessToken(v6)
            expectOK(try await server.check(.bearer(v6Token), "GET", "/", extra: [("X-Forwarded-For", "[2001:db8::1]:443")]))
            expectDenied(try await server.check(.bearer(v6Token), "GET", "/", extra: [("X-Forwarded-For", "2001:db9::1")]), "ip_not_allowed")

            // A loopback-only app: once a proxy vouches for a remote client, the peer no longer counts.
            let local = try await server.createPolicyApp(["allowedIPs": loopbackCIDRs])
            let localToken = try await server.accessToken(local)
            expectOK(try await server.check(.bearer(localToken), "GET", "/"))
            expectDenied(try await server.check(.bearer(localToken), "GET", "/", extra: [("X-Forwarded-For", "203.0.113.7")]), "ip_not_allowed")
        }
    }

    // MARK: customer sessions

    @Test("A customer-session token shows X-Gatehouse-Customer; the app's own token does not")
    func customerSession() async throws {
        // POST /v1/customer-sessions (SPEC §4) exists: CustomerSessionsController.
        try await withCheckServer { server in
            let app = try await server.createPolicyApp(["sessionAccess": "any"])
            let userId = try await server.createUser("alice")
            let appToken = try await server.accessToken(app, scope: "orders:read")
            let appCheck = try await server.check(.bearer(appToken))
            expectAllowed(appCheck, ExpectedIdentity(subject: app.clientId, client: app.clientId, org: app.organisation, scope: "orders:read"))

            let opened = try await server.send(
                "/v1/customer-sessions", body: jsonBody(["customer": "alice"]), contentType: "application/json",
                authorization: "Bearer \(appToken)")
            try #require(opened.status == .ok, "\(opened.status) \(opened.text)")
            let session = try #require(opened.string("access_token"))
            expectAllowed(
                try await server.check(.bearer(session)),
                ExpectedIdentity(subject: userId, client: app.clientId, org: app.organisation, scope: "orders:read", customer: userId),
                "session token")

            // sessionAccess auto: every token of the app already acts for its fixed customer.
            let auto = try await server.createPolicyApp(["sessionAccess": "auto", "sessionCustomer": "alice"])
            let autoToken = try await server.accessToken(auto, scope: "orders:write")
            expectAllowed(
                try await server.check(.bearer(autoToken)),
                ExpectedIdentity(subject: userId, client: auto.clientId, org: auto.organisation, scope: "orders:write", customer: userId),
                "auto session token")
        }
    }
}
