import Foundation
import GatehouseCore
import GatehouseStore
import HTTPTypes
import Logging
import NIOCore
import Testing

extension AdminClient {
    /// Creates a user and returns its JSON; the create must answer 201.
    @discardableResult
    func createUser(_ fields: [String: Any]) async throws -> [String: Any] {
        let reply = try await post("/admin/v1/users", fields)
        try #require(reply.status == .created, "creating user: \(reply.status) \(reply.text)")
        return reply.object
    }

    /// The audit total and the number of users, which any change moves.
    func userSnapshot() async throws -> [Int] {
        [try await auditTotal(), try await total("/admin/v1/users")]
    }
}

@Suite("Admin API: users")
struct UserTests {
    static let password = "correct horse battery staple"

    @Test("Creating a user with every field answers 201 with exactly the documented fields, never the password")
    func createEveryField() async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let reply = try await api.post("/admin/v1/users", [
                "username": "  alice  ", "password": Self.password, "organisation": "acme", "apiUser": true,
                "units": ["north", "sales", "north", " east "],
            ])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(Set(reply.object.keys) == ["id", "username", "organisation", "apiUser", "units", "disabled", "createdAt", "updatedAt"])
            #expect((reply.string("id") ?? "").isEmpty == false)
            #expect(reply.string("username") == "alice")
            #expect(reply.string("organisation") == organisation["id"] as? String)
            #expect(reply["apiUser"] as? Bool == true)
            #expect(reply.strings("units") == ["north", "sales", "east"])
            #expect(reply["disabled"] as? Bool == false)
            #expect(reply.string("createdAt") == reply.string("updatedAt"))
            #expect(!reply.text.contains(Self.password))
            #expect(!reply.text.contains("pbkdf2"))
            #expect(!reply.text.lowercased().contains("password"))
        }
    }

    @Test("A user created with only username and password gets the defaults in the default organisation")
    func createDefaults() async throws {
        try await withAdminAPI { api in
            let defaultOrganisation = try await api.get("/admin/v1/orgs/default")
            let reply = try await api.post("/admin/v1/users", ["username": "bob", "password": "password"])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.string("organisation") == defaultOrganisation.string("id"))
            #expect(reply["apiUser"] as? Bool == false)
            #expect(reply.strings("units") == [])
            #expect(reply["disabled"] as? Bool == false)
            // Explicit nulls are the same as absent.
            let nulls = try await api.post("/admin/v1/users", [
                "username": "carol", "password": "password", "organisation": NSNull(), "apiUser": NSNull(), "units": NSNull(),
            ])
            #expect(nulls.status == .created, "\(nulls.text)")
            #expect(nulls.string("organisation") == defaultOrganisation.string("id"))
            #expect(nulls["apiUser"] as? Bool == false)
            #expect(nulls.strings("units") == [])
        }
    }

    @Test("No answer and no audit entry ever holds the password or its hash")
    func passwordNeverShown() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let created = try await api.createUser(["username": "alice", "password": Self.password, "organisation": "acme", "units": ["x"]])
            let id = try #require(created["id"] as? String)
            let newPassword = "another long passphrase"
            let answers = [
                try await api.get("/admin/v1/users/\(id)"),
                try await api.get("/admin/v1/users"),
                try await api.get("/admin/v1/users?organisation=acme"),
                try await api.get("/admin/v1/users?keywords=ali"),
                try await api.patch("/admin/v1/users/\(id)", ["password": newPassword]),
                try await api.patch("/admin/v1/users/\(id)", ["units": ["y"], "disabled": true]),
                try await api.get("/admin/v1/audit?pageSize=100"),
            ]
            for answer in answers {
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(!answer.text.contains(Self.password))
                #expect(!answer.text.contains(newPassword))
                #expect(!answer.text.contains("pbkdf2"))
                #expect(!answer.text.lowercased().contains("passwordhash"))
            }
            #expect(answers[0].string("username") == "alice")
            #expect(answers[1].total == 1)
            #expect(answers[1].items.first?["password"] == nil)
            // The audit log names the changed field, never its value.
            let entries = try await api.auditEntries()
            let update = try #require(entries.first { ($0["details"] as? [String: String])?["fields"] == "password" })
            #expect(update["action"] as? String == "user.update")
            #expect(update["targetType"] as? String == "user")
            #expect(update["targetId"] as? String == id)
            #expect(entries.contains { $0["action"] as? String == "user.create" && $0["targetId"] as? String == id })
        }
    }

    @Test("Listing users filters by organisation id or name, keywords, and pages")
    func listByOrganisation() async throws {
        try await withAdminAPI { api in
            let acme = try await api.createOrganisation("acme")
            try await api.createOrganisation("globex")
            try await api.createUser(["username": "alice", "password": "password", "organisation": "acme"])
            try await api.createUser(["username": "albert", "password": "password", "organisation": "acme"])
            try await api.createUser(["username": "alice", "password": "password", "organisation": "globex"])
            try await api.createUser(["username": "dora", "password": "password"])

            #expect(try await api.total("/admin/v1/users") == 4)
            let byName = try await api.get("/admin/v1/users?organisation=acme")
            #expect(byName.total == 2)
            #expect(byName.items.compactMap { $0["username"] as? String } == ["alice", "albert"])
            let acmeID = try #require(acme["id"] as? String)
            #expect(try await api.total("/admin/v1/users?organisation=\(acmeID)") == 2)
            #expect(try await api.total("/admin/v1/users?organisation=globex") == 1)
            #expect(try await api.total("/admin/v1/users?organisation=default") == 1)
            #expect(try await api.total("/admin/v1/users?keywords=ALICE") == 2)
            #expect(try await api.total("/admin/v1/users?organisation=acme&keywords=al") == 2)
            let paged = try await api.get("/admin/v1/users?organisation=acme&pageSize=1&pageIndex=2")
            #expect(paged.items.compactMap { $0["username"] as? String } == ["albert"])
            #expect(paged.total == 2)
            expectError(try await api.get("/admin/v1/users?organisation=initech"), .notFound, "not_found")
            expectError(try await api.get("/admin/v1/users?pageSize=0"), .badRequest, "invalid_request", field: "pageSize")
        }
    }

    @Test("A username is unique per organisation, and an API user's across all of them")
    func uniqueness() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            try await api.createUser(["username": "alice", "password": "password", "organisation": "acme"])
            try await api.createUser(["username": "alice", "password": "password"])
            let before = try await api.userSnapshot()
            expectError(try await api.post("/admin/v1/users", ["username": "alice", "password": "password", "organisation": "acme"]), .conflict, "conflict")

            try await api.createUser(["username": "svc", "password": "password", "apiUser": true])
            let afterAPIUser = try await api.userSnapshot()
            #expect(afterAPIUser[1] == before[1] + 1)
            expectError(
                try await api.post("/admin/v1/users", ["username": "svc", "password": "password", "organisation": "acme", "apiUser": true]),
                .conflict, "conflict"
            )
            #expect(try await api.userSnapshot() == afterAPIUser)
        }
    }

    @Test("PATCH changes given fields, keeps absent ones, and refuses null on required ones")
    func update() async throws {
        try await withAdminAPI { api in
            let created = try await api.createUser(["username": "alice", "password": Self.password, "units": ["a", "b"]])
            let id = try #require(created["id"] as? String)
            let uri = "/admin/v1/users/\(id)"

            let renamed = try await api.patch(uri, ["username": "alice2", "apiUser": true])
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.string("username") == "alice2")
            #expect(renamed["apiUser"] as? Bool == true)
            #expect(renamed.strings("units") == ["a", "b"])
            #expect(renamed.string("organisation") == created["organisation"] as? String)
            #expect(renamed.string("createdAt") == created["createdAt"] as? String)

            let units = try await api.patch(uri, ["units": ["c", "c", "d"]])
            #expect(units.strings("units") == ["c", "d"])
            let cleared = try await api.patch(uri, ["units": NSNull()])
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(cleared.strings("units") == [])

            let disabled = try await api.patch(uri, ["disabled": true])
            #expect(disabled["disabled"] as? Bool == true)
            let enabled = try await api.patch(uri, ["disabled": false])
            #expect(enabled["disabled"] as? Bool == false)

            let password = try await api.patch(uri, ["password": "a brand new password"])
            #expect(password.status == .ok, "\(password.text)")
            #expect(password.string("username") == "alice2")

            let shown = try await api.get(uri)
            #expect(shown.text == password.text)

            let before = try await api.userSnapshot()
            for field in ["username", "password", "apiUser", "disabled"] {
                expectError(try await api.patch(uri, [field: NSNull()]), .badRequest, "invalid_request", field: field)
            }
            expectError(try await api.patch(uri, ["organisation": "acme"]), .badRequest, "invalid_request", field: "organisation")
            expectError(try await api.patch(uri, ["password": "short"]), .badRequest, "invalid_request", field: "password")
            expectError(try await api.patch(uri, ["username": "a:b"]), .badRequest, "invalid_request", field: "username")
            expectError(try await api.patch("/admin/v1/users/no-such-user", ["disabled": true]), .notFound, "not_found")
            #expect(try await api.userSnapshot() == before)
            #expect(try await api.get(uri).text == shown.text)
        }
    }

    @Test("Renaming into a taken username is 409 and changes nothing")
    func renameConflict() async throws {
        try await withAdminAPI { api in
            try await api.createUser(["username": "alice", "password": "password"])
            let bob = try await api.createUser(["username": "bob", "password": "password"])
            let id = try #require(bob["id"] as? String)
            let before = try await api.userSnapshot()
            expectError(try await api.patch("/admin/v1/users/\(id)", ["username": "alice"]), .conflict, "conflict")
            #expect(try await api.get("/admin/v1/users/\(id)").string("username") == "bob")
            #expect(try await api.userSnapshot() == before)
        }
    }

    @Test("Deleting a user answers 204, and then it is 404")
    func delete() async throws {
        try await withAdminAPI { api in
            let created = try await api.createUser(["username": "alice", "password": "password"])
            let id = try #require(created["id"] as? String)
            let reply = try await api.delete("/admin/v1/users/\(id)")
            #expect(reply.status == .noContent)
            expectError(try await api.get("/admin/v1/users/\(id)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/users/\(id)"), .notFound, "not_found")
            expectError(try await api.patch("/admin/v1/users/\(id)", ["disabled": true]), .notFound, "not_found")
            #expect(try await api.total("/admin/v1/users") == 0)
            let entries = try await api.auditEntries()
            #expect(entries.contains { $0["action"] as? String == "user.delete" && $0["targetId"] as? String == id })
            // The username is free again.
            try await api.createUser(["username": "alice", "password": "password"])
        }
    }

    @Test("An organisation that still has users cannot be deleted")
    func organisationWithUsers() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let user = try await api.createUser(["username": "alice", "password": "password", "organisation": "acme"])
            expectError(try await api.delete("/admin/v1/orgs/acme"), .conflict, "conflict")
            #expect(try await api.delete("/admin/v1/users/\(try #require(user["id"] as? String))").status == .noContent)
            #expect(try await api.delete("/admin/v1/orgs/acme").status == .noContent)
        }
    }

    struct BadCreate: Sendable, CustomTestStringConvertible {
        var what: String
        var body: String
        var status: HTTPResponse.Status = .badRequest
        var code = "invalid_request"
        var field: String?
        var testDescription: String { what }
    }

    static let badCreates: [BadCreate] = [
        BadCreate(what: "no password", body: #"{"username":"alice"}"#, field: "password"),
        BadCreate(what: "no username", body: #"{"password":"password"}"#, field: "username"),
        BadCreate(what: "a null password", body: #"{"username":"alice","password":null}"#, field: "password"),
        BadCreate(what: "a 7 character password", body: #"{"username":"alice","password":"passwor"}"#, field: "password"),
        BadCreate(what: "an empty password", body: #"{"username":"alice","password":""}"#, field: "password"),
        BadCreate(what: "a 2000 byte password", body: #"{"username":"alice","password":"\#(String(repeating: "p", count: 2000))"}"#, field: "password"),
        BadCreate(what: "a 1025 byte password", body: #"{"username":"alice","password":"\#(String(repeating: "p", count: 1025))"}"#, field: "password"),
        BadCreate(what: "a password that is a number", body: #"{"username":"alice","password":12345678}"#, field: "password"),
        BadCreate(what: "a username with ':'", body: #"{"username":"ali:ce","password":"password"}"#, field: "username"),
        BadCreate(what: "a blank username", body: #"{"username":"   ","password":"password"}"#, field: "username"),
        BadCreate(what: "a 201 character username", body: #"{"username":"\#(String(repeating: "u", count: 201))","password":"password"}"#, field: "username"),
        BadCreate(what: "a username with a control character", body: #"{"username":"a\u0007b","password":"password"}"#, field: "username"),
        BadCreate(what: "a username with a newline", body: #"{"username":"a\nb","password":"password"}"#, field: "username"),
        BadCreate(what: "a username that is an object", body: #"{"username":{"a":1},"password":"password"}"#, field: "username"),
        BadCreate(what: "apiUser as a string", body: #"{"username":"alice","password":"password","apiUser":"yes"}"#, field: "apiUser"),
        BadCreate(what: "units as a string", body: #"{"username":"alice","password":"password","units":"north"}"#, field: "units"),
        BadCreate(what: "a unit that is a number", body: #"{"username":"alice","password":"password","units":[1]}"#, field: "units[0]"),
        BadCreate(what: "an empty unit", body: #"{"username":"alice","password":"password","units":[" "]}"#, field: "units"),
        BadCreate(what: "a 101 character unit", body: #"{"username":"alice","password":"password","units":["\#(String(repeating: "u", count: 101))"]}"#, field: "units"),
        BadCreate(
            what: "101 units",
            body: #"{"username":"alice","password":"password","units":[\#((0...100).map { "\"u\($0)\"" }.joined(separator: ","))]}"#,
            field: "units"
        ),
        BadCreate(what: "an unknown field", body: #"{"username":"alice","password":"password","passwd":"x"}"#, field: "passwd"),
        BadCreate(what: "disabled on create", body: #"{"username":"alice","password":"password","disabled":true}"#, field: "disabled"),
        BadCreate(what: "an organisation that is a number", body: #"{"username":"alice","password":"password","organisation":5}"#, field: "organisation"),
        BadCreate(what: "a JSON array", body: #"[{"username":"alice","password":"password"}]"#),
        BadCreate(what: "malformed JSON", body: #"{"username":"alice","password":"#),
        BadCreate(what: "an unknown organisation", body: #"{"username":"alice","password":"password","organisation":"initech"}"#, status: .notFound, code: "not_found"),
    ]

    @Test("Bad input to POST /users is a 4xx {error, message, field} and changes nothing", arguments: badCreates)
    func badCreate(_ bad: BadCreate) async throws {
        try await withAdminAPI { api in
            let before = try await api.userSnapshot()
            let reply = try await api.send(.post, "/admin/v1/users", body: ByteBuffer(string: bad.body))
            expectError(reply, bad.status, bad.code, field: bad.field)
            #expect(!reply.text.contains("ppppppppp"))
            #expect(try await api.userSnapshot() == before)
        }
    }

    @Test("A password is taken as given: not trimmed, any characters, exactly 8 characters or 1024 bytes")
    func passwordEdges() async throws {
        try await withAdminAPI { api in
            try await api.createUser(["username": "a", "password": "        "])
            try await api.createUser(["username": "b", "password": String(repeating: "p", count: 1024)])
            try await api.createUser(["username": "c", "password": "pässwörd"])
            try await api.createUser(["username": "d", "password": "🔑🔑🔑🔑🔑🔑🔑🔑"])
            expectError(try await api.post("/admin/v1/users", ["username": "e", "password": "🔑🔑🔑🔑🔑🔑🔑"]), .badRequest, "invalid_request", field: "password")
            expectError(
                try await api.post("/admin/v1/users", ["username": "f", "password": String(repeating: "€", count: 342)]),
                .badRequest, "invalid_request", field: "password"
            )
            #expect(try await api.total("/admin/v1/users") == 4)
        }
    }

    @Test("The user routes need an admin key")
    func needsAdminKey() async throws {
        try await withAdminAPI { api in
            let created = try await api.createUser(["username": "alice", "password": "password"])
            let id = try #require(created["id"] as? String)
            for (method, uri) in [(HTTPRequest.Method.get, "/admin/v1/users"), (.get, "/admin/v1/users/\(id)"), (.delete, "/admin/v1/users/\(id)")] {
                expectError(try await api.send(method, uri, credential: .none), .unauthorized, "unauthorized")
            }
            let post = try await api.send(.post, "/admin/v1/users", body: jsonBody(["username": "eve", "password": "password"]), credential: .none)
            expectError(post, .unauthorized, "unauthorized")
            #expect(try await api.total("/admin/v1/users") == 1)
        }
    }
}

@Suite("User manager: sessions end with the password")
struct UserManagerTests {
    /// Runs `body` with a manager over a fresh SQLite store holding one user and one application.
    func withUser(_ body: (UserManager, any Store, User, Application) async throws -> Void) async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            let store = database.store
            try await OrganisationManager(store: store).ensureDefault(now: Date())
            let users = UserManager(store: store, passwords: PasswordHasher(rounds: 1000))
            let user = try await users.create(UserInput(username: "alice", password: "password"), by: .commandLine, now: Date())
            let now = Date()
            let application = Application(
                id: UUID().uuidString, organisationId: user.organisationId, clientId: UUID().uuidString,
                secretHash: String(repeating: "0", count: 64), name: "shop", description: nil, grantTypes: ["password", "refresh_token"],
                scopes: [], redirectUris: [], authorizationType: .bearer, allowedIPs: [], allowedMethods: [], resources: [],
                sessionAccess: .none, sessionCustomer: nil, accessTokenTTL: 3600, disabled: false, createdAt: now, updatedAt: now
            )
            try await store.insertApplication(application, audit: .make("application.create", "application", application.id, by: .commandLine, at: now))
            try await body(users, store, user, application)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    func token(for user: User, _ application: Application) -> RefreshToken {
        let now = Date()
        return RefreshToken(
            id: UUID().uuidString, tokenHash: UUID().uuidString, familyId: UUID().uuidString, generation: 0,
            applicationId: application.id, userId: user.id, organisationId: user.organisationId, scopes: [],
            consumed: false, revoked: false, createdAt: now, expiresAt: now + 3600, familyExpiresAt: now + 86_400
        )
    }

    @Test("A new password or disabling revokes the user's refresh tokens; other changes do not")
    func revocation() async throws {
        try await withUser { users, store, user, application in
            let first = token(for: user, application)
            try await store.insertRefreshToken(first)
            var patch = UserPatch()
            patch.units = .set(["north"])
            patch.apiUser = .set(true)
            patch.disabled = .set(false)
            _ = try await users.update(user.id, with: patch, by: .commandLine, now: Date())
            #expect(try await store.refreshToken(hash: first.tokenHash)?.revoked == false)

            patch = UserPatch()
            patch.password = .set("a new password")
            let changed = try await users.update(user.id, with: patch, by: .commandLine, now: Date())
            #expect(try await store.refreshToken(hash: first.tokenHash)?.revoked == true)
            #expect(changed.passwordHash != user.passwordHash)
            #expect(try await PasswordHasher(rounds: 1000).verify("a new password", against: changed.passwordHash))
            #expect(try await !PasswordHasher(rounds: 1000).verify("password", against: changed.passwordHash))

            let second = token(for: user, application)
            try await store.insertRefreshToken(second)
            patch = UserPatch()
            patch.disabled = .set(true)
            _ = try await users.update(user.id, with: patch, by: .commandLine, now: Date())
            #expect(try await store.refreshToken(hash: second.tokenHash)?.revoked == true)
        }
    }

    @Test("A refused password change keeps the old password and the sessions")
    func refusedChange() async throws {
        try await withUser { users, store, user, application in
            let first = token(for: user, application)
            try await store.insertRefreshToken(first)
            var patch = UserPatch()
            patch.password = .set("short")
            await #expect(throws: ValidationError(field: "password", message: "must be at least 8 characters")) {
                try await users.update(user.id, with: patch, by: .commandLine, now: Date())
            }
            #expect(try await store.user(id: user.id)?.passwordHash == user.passwordHash)
            #expect(try await store.refreshToken(hash: first.tokenHash)?.revoked == false)
        }
    }
}
