import Foundation
import GatehouseCore
import HTTPTypes
import NIOCore
import Testing

extension AdminClient {
    /// Creates an API key and returns its JSON (with the key); the create must answer 201.
    @discardableResult
    func createAPIKey(_ fields: [String: Any]) async throws -> [String: Any] {
        let reply = try await post("/admin/v1/apikeys", fields)
        try #require(reply.status == .created, "creating API key: \(reply.status) \(reply.text)")
        return reply.object
    }

    /// The audit total and the number of API keys, which any change moves.
    func apiKeySnapshot() async throws -> [Int] {
        [try await auditTotal(), try await total("/admin/v1/apikeys")]
    }
}

/// An RFC 3339 date-time `seconds` from now, in whole seconds.
func rfc3339(_ seconds: TimeInterval, from now: Date = Date()) -> String {
    Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down)).formatted(.iso8601)
}

@Suite("Admin API: API keys")
struct APIKeyTests {
    static let fields: Set<String> = [
        "id", "name", "description", "organisation", "application", "user", "scopes", "expiresAt", "lastUsedAt", "disabled",
        "keyPrefix", "createdAt", "updatedAt",
    ]

    @Test("Creating an application's key answers 201 with every field and the key, this once")
    func createEveryField() async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let app = try await api.createApplication(["name": "shop", "organisation": "acme", "scopes": ["orders:read", "orders:write", "x"]])
            let expiresAt = rfc3339(86_400)
            let reply = try await api.post("/admin/v1/apikeys", [
                "name": "  deploy  ", "description": "from CI", "application": try #require(app["clientId"] as? String),
                "scopes": ["orders:read", "x", "orders:read"], "expiresAt": expiresAt,
            ])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(Set(reply.object.keys) == Self.fields.union(["key"]))
            let key = try #require(reply.string("key"))
            #expect(SecretFormat.isWellFormed(key, as: .apiKey))
            #expect(reply.string("keyPrefix") == String(key.prefix(9)))
            #expect(reply.string("keyPrefix")?.hasPrefix("ghak_") == true)
            #expect(reply.string("name") == "deploy")
            #expect(reply.string("description") == "from CI")
            #expect(reply.string("organisation") == organisation["id"] as? String)
            #expect(reply.string("application") == app["id"] as? String)
            #expect(reply.isNull("user"))
            #expect(reply.strings("scopes") == ["orders:read", "x"])
            #expect(reply.string("expiresAt") == expiresAt)
            #expect(reply.isNull("lastUsedAt"))
            #expect(reply["disabled"] as? Bool == false)
            #expect(reply.string("createdAt") == reply.string("updatedAt"))
            #expect(!reply.text.lowercased().contains("hash"))

            // Show answers the same fields, without the key.
            let id = try #require(reply.string("id"))
            let shown = try await api.get("/admin/v1/apikeys/\(id)")
            #expect(shown.status == .ok)
            #expect(Set(shown.object.keys) == Self.fields)
            var created = reply.object
            created["key"] = nil
            let canonical = { (object: [String: Any]) in try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
            #expect(try canonical(shown.object) == canonical(created))
        }
    }

    @Test("Defaults: an application's key gets the application's scopes, a user's key none, and neither expires")
    func createDefaults() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop", "scopes": ["a", "b"]])
            let user = try await api.createUser(["username": "alice", "password": "password"])
            let appKey = try await api.createAPIKey(["name": "k", "application": try #require(app["id"] as? String)])
            #expect(appKey["scopes"] as? [String] == ["a", "b"])
            #expect(appKey["description"] is NSNull)
            #expect(appKey["expiresAt"] is NSNull)
            #expect(appKey["organisation"] as? String == app["organisation"] as? String)
            let userKey = try await api.createAPIKey(["name": "k", "user": try #require(user["id"] as? String)])
            #expect(userKey["scopes"] as? [String] == [])
            #expect(userKey["application"] is NSNull)
            #expect(userKey["user"] as? String == user["id"] as? String)
            #expect(userKey["organisation"] as? String == user["organisation"] as? String)
            // A user's key may hold any scopes; explicit nulls are the same as absent.
            let scoped = try await api.createAPIKey([
                "name": "k", "user": try #require(user["id"] as? String), "scopes": ["anything:at-all"], "description": NSNull(),
                "expiresAt": NSNull(), "application": NSNull(),
            ])
            #expect(scoped["scopes"] as? [String] == ["anything:at-all"])
            #expect(scoped["expiresAt"] is NSNull)
            // An explicitly empty scope list is no scopes, even for an application's key.
            let empty = try await api.createAPIKey(["name": "k", "application": try #require(app["id"] as? String), "scopes": []])
            #expect(empty["scopes"] as? [String] == [])
            #expect(appKey["key"] as? String != userKey["key"] as? String)
        }
    }

    @Test("The key is in the create answer only: never in show, list, update, or the audit log")
    func keyShownOnce() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop"])
            let created = try await api.createAPIKey(["name": "deploy", "application": try #require(app["id"] as? String)])
            let key = try #require(created["key"] as? String)
            let id = try #require(created["id"] as? String)
            let answers = [
                try await api.get("/admin/v1/apikeys/\(id)"),
                try await api.get("/admin/v1/apikeys"),
                try await api.get("/admin/v1/apikeys?keywords=\(key.prefix(9))"),
                try await api.patch("/admin/v1/apikeys/\(id)", ["name": "renamed", "disabled": true]),
                try await api.get("/admin/v1/audit?pageSize=100"),
            ]
            for answer in answers {
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(!answer.text.contains(key))
                #expect(!answer.text.contains(String(key.dropFirst(9))))
                #expect(!answer.text.lowercased().contains("keyhash"))
            }
            #expect(answers[0]["key"] == nil)
            #expect(answers[1].items.count == 1)
            #expect(answers[1].items.first?["key"] == nil)
            #expect(answers[2].total == 1, "the key prefix is searchable")
            #expect(answers[3]["key"] == nil)
            let entries = try await api.auditEntries()
            #expect(entries.contains { $0["action"] as? String == "apikey.create" && $0["targetId"] as? String == id && $0["targetType"] as? String == "apikey" })
            let update = try #require(entries.first { $0["action"] as? String == "apikey.update" })
            #expect((update["details"] as? [String: String])?["fields"] == "name,disabled")
        }
    }

    @Test("Listing API keys filters by organisation id or name, keywords, and pages")
    func list() async throws {
        try await withAdminAPI { api in
            let acme = try await api.createOrganisation("acme")
            try await api.createOrganisation("globex")
            let acmeApp = try await api.createApplication(["name": "shop", "organisation": "acme"])
            let globexApp = try await api.createApplication(["name": "shop", "organisation": "globex"])
            let acmeUser = try await api.createUser(["username": "alice", "password": "password", "organisation": "acme"])
            try await api.createAPIKey(["name": "deploy", "application": try #require(acmeApp["id"] as? String)])
            try await api.createAPIKey(["name": "laptop", "user": try #require(acmeUser["id"] as? String), "description": "Deploys by hand"])
            try await api.createAPIKey(["name": "deploy", "application": try #require(globexApp["id"] as? String)])

            #expect(try await api.total("/admin/v1/apikeys") == 3)
            let byName = try await api.get("/admin/v1/apikeys?organisation=acme")
            #expect(byName.items.compactMap { $0["name"] as? String } == ["deploy", "laptop"])
            #expect(try await api.total("/admin/v1/apikeys?organisation=\(try #require(acme["id"] as? String))") == 2)
            #expect(try await api.total("/admin/v1/apikeys?organisation=globex") == 1)
            #expect(try await api.total("/admin/v1/apikeys?organisation=default") == 0)
            #expect(try await api.total("/admin/v1/apikeys?keywords=DEPLOY") == 3)
            #expect(try await api.total("/admin/v1/apikeys?organisation=acme&keywords=laptop") == 1)
            let paged = try await api.get("/admin/v1/apikeys?organisation=acme&pageSize=1&pageIndex=2")
            #expect(paged.items.compactMap { $0["name"] as? String } == ["laptop"])
            #expect(paged.total == 2)
            expectError(try await api.get("/admin/v1/apikeys?organisation=initech"), .notFound, "not_found")
            expectError(try await api.get("/admin/v1/apikeys?pageSize=101"), .badRequest, "invalid_request", field: "pageSize")
        }
    }

    @Test("PATCH changes given fields, keeps absent ones, clears nullable ones, and refuses bad values without changing anything")
    func update() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop", "scopes": ["a", "b", "c"]])
            let created = try await api.createAPIKey([
                "name": "deploy", "description": "from CI", "application": try #require(app["id"] as? String), "scopes": ["a"],
                "expiresAt": rfc3339(3600),
            ])
            let id = try #require(created["id"] as? String)
            let uri = "/admin/v1/apikeys/\(id)"

            let expiresAt = rfc3339(7200)
            let changed = try await api.patch(uri, ["name": "deploy 2", "scopes": ["b", "c", "b"], "expiresAt": expiresAt])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(Set(changed.object.keys) == Self.fields)
            #expect(changed.string("name") == "deploy 2")
            #expect(changed.string("description") == "from CI")
            #expect(changed.strings("scopes") == ["b", "c"])
            #expect(changed.string("expiresAt") == expiresAt)
            #expect(changed.string("keyPrefix") == created["keyPrefix"] as? String)
            #expect(changed.string("application") == created["application"] as? String)
            #expect(changed.string("createdAt") == created["createdAt"] as? String)

            let cleared = try await api.patch(uri, ["description": NSNull(), "expiresAt": NSNull(), "scopes": NSNull()])
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(cleared.isNull("description"))
            #expect(cleared.isNull("expiresAt"))
            #expect(cleared.strings("scopes") == [])
            let disabled = try await api.patch(uri, ["disabled": true])
            #expect(disabled["disabled"] as? Bool == true)
            let enabled = try await api.patch(uri, ["disabled": false])
            #expect(enabled["disabled"] as? Bool == false)
            let shown = try await api.get(uri)
            #expect(shown.text == enabled.text)

            let before = try await api.apiKeySnapshot()
            for field in ["name", "disabled"] {
                expectError(try await api.patch(uri, [field: NSNull()]), .badRequest, "invalid_request", field: field)
            }
            expectError(try await api.patch(uri, ["scopes": ["a", "z"]]), .badRequest, "invalid_request", field: "scopes")
            expectError(try await api.patch(uri, ["expiresAt": rfc3339(-60)]), .badRequest, "invalid_request", field: "expiresAt")
            expectError(try await api.patch(uri, ["expiresAt": "tomorrow"]), .badRequest, "invalid_request", field: "expiresAt")
            expectError(try await api.patch(uri, ["name": " "]), .badRequest, "invalid_request", field: "name")
            expectError(try await api.patch(uri, ["name": "ok", "disabled": "yes"]), .badRequest, "invalid_request", field: "disabled")
            for field in ["application", "user", "organisation", "key", "keyPrefix", "lastUsedAt"] {
                expectError(try await api.patch(uri, [field: "x"]), .badRequest, "invalid_request", field: field)
            }
            expectError(try await api.patch("/admin/v1/apikeys/no-such-key", ["disabled": true]), .notFound, "not_found")
            #expect(try await api.apiKeySnapshot() == before)
            #expect(try await api.get(uri).text == shown.text)
        }
    }

    @Test("Deleting an API key answers 204, and then it is 404")
    func delete() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop"])
            let created = try await api.createAPIKey(["name": "deploy", "application": try #require(app["id"] as? String)])
            let id = try #require(created["id"] as? String)
            #expect(try await api.delete("/admin/v1/apikeys/\(id)").status == .noContent)
            expectError(try await api.get("/admin/v1/apikeys/\(id)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/apikeys/\(id)"), .notFound, "not_found")
            expectError(try await api.patch("/admin/v1/apikeys/\(id)", ["disabled": true]), .notFound, "not_found")
            #expect(try await api.total("/admin/v1/apikeys") == 0)
            let entries = try await api.auditEntries()
            #expect(entries.contains { $0["action"] as? String == "apikey.delete" && $0["targetId"] as? String == id })
        }
    }

    @Test("Deleting the owning application or user deletes its keys")
    func ownersTakeTheirKeys() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop"])
            let user = try await api.createUser(["username": "alice", "password": "password"])
            let appKey = try await api.createAPIKey(["name": "k", "application": try #require(app["id"] as? String)])
            let userKey = try await api.createAPIKey(["name": "k", "user": try #require(user["id"] as? String)])
            #expect(try await api.delete("/admin/v1/apps/\(try #require(app["id"] as? String))").status == .noContent)
            expectError(try await api.get("/admin/v1/apikeys/\(try #require(appKey["id"] as? String))"), .notFound, "not_found")
            #expect(try await api.get("/admin/v1/apikeys/\(try #require(userKey["id"] as? String))").status == .ok)
            #expect(try await api.delete("/admin/v1/users/\(try #require(user["id"] as? String))").status == .noContent)
            #expect(try await api.total("/admin/v1/apikeys") == 0)
        }
    }

    struct BadCreate: Sendable, CustomTestStringConvertible {
        var what: String
        /// The body, with `$APP` and `$USER` standing for the ids of an application (scopes `a`, `b`) and a user.
        var body: String
        var status: HTTPResponse.Status = .badRequest
        var code = "invalid_request"
        var field: String?
        var testDescription: String { what }
    }

    static let badCreates: [BadCreate] = [
        BadCreate(what: "no owner", body: #"{"name":"k"}"#, field: "application"),
        BadCreate(what: "null owners", body: #"{"name":"k","application":null,"user":null}"#, field: "application"),
        BadCreate(what: "both owners", body: #"{"name":"k","application":"$APP","user":"$USER"}"#, field: "application"),
        BadCreate(what: "an unknown application", body: #"{"name":"k","application":"no-such-app"}"#, status: .notFound, code: "not_found"),
        BadCreate(what: "an unknown user", body: #"{"name":"k","user":"no-such-user"}"#, status: .notFound, code: "not_found"),
        BadCreate(what: "a scope outside the application's", body: #"{"name":"k","application":"$APP","scopes":["a","c"]}"#, field: "scopes"),
        BadCreate(what: "a scope that is no scope token", body: #"{"name":"k","user":"$USER","scopes":["a b"]}"#, field: "scopes"),
        BadCreate(what: "scopes as a string", body: #"{"name":"k","application":"$APP","scopes":"a"}"#, field: "scopes"),
        BadCreate(what: "an expiresAt in the past", body: #"{"name":"k","application":"$APP","expiresAt":"2020-01-01T00:00:00Z"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt without a time offset", body: #"{"name":"k","application":"$APP","expiresAt":"2099-01-01T00:00:00"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt that is a date only", body: #"{"name":"k","application":"$APP","expiresAt":"2099-01-01"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt on 30 February", body: #"{"name":"k","application":"$APP","expiresAt":"2099-02-30T00:00:00Z"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt at hour 25", body: #"{"name":"k","application":"$APP","expiresAt":"2099-01-01T25:00:00Z"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt with a space", body: #"{"name":"k","application":"$APP","expiresAt":" 2099-01-01T00:00:00Z"}"#, field: "expiresAt"),
        BadCreate(what: "an expiresAt as a number", body: #"{"name":"k","application":"$APP","expiresAt":4102444800}"#, field: "expiresAt"),
        BadCreate(what: "an unknown field", body: #"{"name":"k","application":"$APP","scope":["a"]}"#, field: "scope"),
        BadCreate(what: "an organisation", body: #"{"name":"k","application":"$APP","organisation":"default"}"#, field: "organisation"),
        BadCreate(what: "a key of one's own", body: #"{"name":"k","application":"$APP","key":"ghak_mine"}"#, field: "key"),
        BadCreate(what: "disabled on create", body: #"{"name":"k","application":"$APP","disabled":true}"#, field: "disabled"),
        BadCreate(what: "no name", body: #"{"application":"$APP"}"#, field: "name"),
        BadCreate(what: "a blank name", body: #"{"name":"  ","application":"$APP"}"#, field: "name"),
        BadCreate(what: "a 201 character name", body: #"{"name":"\#(String(repeating: "n", count: 201))","application":"$APP"}"#, field: "name"),
        BadCreate(what: "a name with a control character", body: #"{"name":"a\u0007b","application":"$APP"}"#, field: "name"),
        BadCreate(what: "a 2001 character description", body: #"{"name":"k","application":"$APP","description":"\#(String(repeating: "d", count: 2001))"}"#, field: "description"),
        BadCreate(what: "an application that is a number", body: #"{"name":"k","application":5}"#, field: "application"),
        BadCreate(what: "a JSON array", body: #"[{"name":"k","application":"$APP"}]"#),
        BadCreate(what: "malformed JSON", body: #"{"name":"k","application":"#),
    ]

    @Test("Bad input to POST /apikeys is a 4xx {error, message, field} and changes nothing", arguments: badCreates)
    func badCreate(_ bad: BadCreate) async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop", "scopes": ["a", "b"]])
            let user = try await api.createUser(["username": "alice", "password": "password"])
            let body = bad.body.replacingOccurrences(of: "$APP", with: try #require(app["id"] as? String))
                .replacingOccurrences(of: "$USER", with: try #require(user["id"] as? String))
            let before = try await api.apiKeySnapshot()
            let reply = try await api.send(.post, "/admin/v1/apikeys", body: ByteBuffer(string: body))
            expectError(reply, bad.status, bad.code, field: bad.field)
            #expect(!reply.text.contains("ghak_"))
            #expect(try await api.apiKeySnapshot() == before)
        }
    }

    @Test("A key must belong to its owner's organisation: a user named in another organisation is still that user's")
    func organisationIsTheOwners() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let user = try await api.createUser(["username": "alice", "password": "password", "organisation": "acme"])
            let key = try await api.createAPIKey(["name": "k", "user": try #require(user["id"] as? String)])
            #expect(key["organisation"] as? String == user["organisation"] as? String)
            #expect(try await api.total("/admin/v1/apikeys?organisation=acme") == 1)
            // The organisation cannot be deleted while its user (and so its key) exists.
            expectError(try await api.delete("/admin/v1/orgs/acme"), .conflict, "conflict")
        }
    }

    @Test("The API key routes need an admin key")
    func needsAdminKey() async throws {
        try await withAdminAPI { api in
            let app = try await api.createApplication(["name": "shop"])
            let created = try await api.createAPIKey(["name": "k", "application": try #require(app["id"] as? String)])
            let id = try #require(created["id"] as? String)
            for (method, uri) in [(HTTPRequest.Method.get, "/admin/v1/apikeys"), (.get, "/admin/v1/apikeys/\(id)"), (.delete, "/admin/v1/apikeys/\(id)")] {
                expectError(try await api.send(method, uri, credential: .none), .unauthorized, "unauthorized")
            }
            // An API key is not an admin key.
            let asKey = try await api.send(.get, "/admin/v1/apikeys", credential: .header("Bearer \(try #require(created["key"] as? String))"))
            expectError(asKey, .unauthorized, "unauthorized")
            let post = try await api.send(.post, "/admin/v1/apikeys", body: jsonBody(["name": "k", "application": try #require(app["id"] as? String)]), credential: .none)
            expectError(post, .unauthorized, "unauthorized")
            #expect(try await api.total("/admin/v1/apikeys") == 1)
        }
    }
}

@Suite("Introspection of API keys (RFC 7662, SPEC §3)")
struct APIKeyIntrospectionTests {
    @Test("An application's key introspects as active, with token_type api_key, its scopes, client, subject, organisation and expiry")
    func applicationKey() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(scopes: ["orders:read", "orders:write"])
            let expiresAt = rfc3339(3600)
            let created = try await server.api.createAPIKey(["name": "k", "application": app.id, "scopes": ["orders:read"], "expiresAt": expiresAt])
            let key = try #require(created["key"] as? String)
            for caller in [OAuthCaller.app(app), .app(app, .post), .admin] {
                let reply = try await server.introspect(key, as: caller)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply["active"] as? Bool == true)
                #expect(reply.string("token_type") == "api_key")
                #expect(reply.string("scope") == "orders:read")
                #expect(reply.string("client_id") == app.clientId)
                #expect(reply.string("sub") == app.clientId)
                #expect(reply.string("org") == app.organisation)
                #expect(reply.string("iss") == server.issuer)
                let exp = try #require(reply.int("exp"))
                #expect(Date(timeIntervalSince1970: TimeInterval(exp)).formatted(.iso8601) == expiresAt)
                #expect(reply.int("iat") != nil)
                #expect(!reply.text.contains(key))
            }
        }
    }

    @Test("A user's key introspects with sub = the user, no client_id, and no exp when it never expires")
    func userKey() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let userId = try await server.createUser("alice")
            let created = try await server.api.createAPIKey(["name": "k", "user": userId, "scopes": ["profile"]])
            let reply = try await server.introspect(try #require(created["key"] as? String), as: .app(app))
            #expect(reply["active"] as? Bool == true, "\(reply.text)")
            #expect(reply.string("token_type") == "api_key")
            #expect(reply.string("sub") == userId)
            #expect(reply["client_id"] == nil)
            #expect(reply["exp"] == nil)
            #expect(reply.string("scope") == "profile")
            #expect(reply.string("org") == app.organisation)
        }
    }

    @Test("Another organisation's caller gets exactly {\"active\":false}; an API user of the same organisation sees the key")
    func foreignOrganisation() async throws {
        try await withOAuthServer { server in
            try await server.api.createOrganisation("acme")
            try await server.api.createOrganisation("globex")
            let acme = try await server.createApp(name: "acme", organisation: "acme")
            let acmeOther = try await server.createApp(name: "acme-other", organisation: "acme")
            let globex = try await server.createApp(name: "globex", organisation: "globex")
            let created = try await server.api.createAPIKey(["name": "k", "application": acme.id])
            let key = try #require(created["key"] as? String)
            expectInactive(try await server.introspect(key, as: .app(globex)))
            #expect(try await server.introspect(key, as: .app(acmeOther))["active"] as? Bool == true)
            try await server.createUser("svc", password: "service password", organisation: "acme", apiUser: true)
            #expect(try await server.introspect(key, as: .apiUser("svc", "service password"))["active"] as? Bool == true)
            try await server.createUser("svc2", password: "service password", organisation: "globex", apiUser: true)
            expectInactive(try await server.introspect(key, as: .apiUser("svc2", "service password")))
        }
    }

    @Test("Typo'd, unknown, disabled and deleted keys, and keys of disabled owners, are exactly {\"active\":false} at once")
    func inactiveKeys() async throws {
        try await withOAuthServer { server in
            let caller = try await server.createApp(name: "caller")
            let owner = try await server.createApp(name: "owner")
            let userId = try await server.createUser("alice")
            let created = try await server.api.createAPIKey(["name": "k", "application": owner.id])
            let key = try #require(created["key"] as? String)
            let id = try #require(created["id"] as? String)
            let userKey = try #require(try await server.api.createAPIKey(["name": "k", "user": userId])["key"] as? String)
            #expect(try await server.isActive(key))
            #expect(try await server.isActive(userKey))

            expectInactive(try await server.introspect(corrupted(key), as: .app(caller)))
            expectInactive(try await server.introspect(SecretFormat.generate(.apiKey), as: .app(caller)))
            expectInactive(try await server.introspect("ghak_" + key.dropFirst(5).uppercased(), as: .app(caller)))

            #expect(try await server.api.patch("/admin/v1/apikeys/\(id)", ["disabled": true]).status == .ok)
            expectInactive(try await server.introspect(key, as: .app(caller)))
            #expect(try await server.api.patch("/admin/v1/apikeys/\(id)", ["disabled": false]).status == .ok)
            #expect(try await server.isActive(key))

            #expect(try await server.api.patch("/admin/v1/apps/\(owner.id)", ["disabled": true]).status == .ok)
            expectInactive(try await server.introspect(key, as: .app(caller)))
            #expect(try await server.api.patch("/admin/v1/apps/\(owner.id)", ["disabled": false]).status == .ok)
            #expect(try await server.isActive(key))

            #expect(try await server.api.patch("/admin/v1/users/\(userId)", ["disabled": true]).status == .ok)
            expectInactive(try await server.introspect(userKey, as: .app(caller)))

            #expect(try await server.api.delete("/admin/v1/apikeys/\(id)").status == .noContent)
            expectInactive(try await server.introspect(key, as: .app(caller)))
            expectInactive(try await server.introspect(key, as: .admin))
        }
    }

    @Test("Revoking an API key at the revocation endpoint answers 200 and leaves it alone (keys are disabled or deleted instead)")
    func revocationLeavesKeys() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let created = try await server.api.createAPIKey(["name": "k", "application": app.id])
            let key = try #require(created["key"] as? String)
            let reply = try await server.revoke(key, as: .app(app))
            #expect(reply.status == .ok)
            #expect(try await server.isActive(key))
        }
    }
}
