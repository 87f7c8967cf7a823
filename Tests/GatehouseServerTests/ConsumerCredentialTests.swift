import Foundation
import GatehouseCore
import HTTPTypes
import NIOCore
import Testing

extension AdminClient {
    /// Creates a consumer credential and returns the create answer (with the secret); must answer 201.
    @discardableResult
    func createConsumerCredential(_ fields: [String: Any]) async throws -> [String: Any] {
        let reply = try await post("/admin/v1/consumer-credentials", fields)
        try #require(reply.status == .created, "creating consumer credential: \(reply.status) \(reply.text)")
        return reply.object
    }

    /// The audit total and the number of consumer credentials, which any change moves.
    func consumerCredentialSnapshot() async throws -> [Int] {
        [try await auditTotal(), try await total("/admin/v1/consumer-credentials"), try await total("/admin/v1/users")]
    }
}

@Suite("Admin API: consumer credentials")
struct ConsumerCredentialTests {
    static let password = "correct horse battery staple"
    static let publicFields: Set<String> = ["id", "user", "organisation", "kind", "identifier", "disabled", "createdAt"]

    /// A user in `organisation` (default when nil); returns its id.
    static func user(_ api: AdminClient, _ username: String, organisation: String? = nil) async throws -> String {
        var fields: [String: Any] = ["username": username, "password": password]
        if let organisation { fields["organisation"] = organisation }
        return try #require(try await api.createUser(fields)["id"] as? String)
    }

    @Test("An authentication code is generated, answered once as {id, authentication_code}, and never shown again")
    func authenticationCode() async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let user = try await Self.user(api, "alice", organisation: "acme")
            let reply = try await api.post("/admin/v1/consumer-credentials", ["user": user, "kind": "authentication_code"])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(Set(reply.object.keys) == ["id", "authentication_code"])
            let id = try #require(reply.string("id"))
            let code = try #require(reply.string("authentication_code"))
            #expect(SecretFormat.isWellFormed(code, as: .authenticationCode))

            let shown = try await api.get("/admin/v1/consumer-credentials/\(id)")
            #expect(shown.status == .ok, "\(shown.text)")
            #expect(Set(shown.object.keys) == Self.publicFields)
            #expect(shown.string("user") == user)
            #expect(shown.string("organisation") == organisation["id"] as? String)
            #expect(shown.string("kind") == "authentication_code")
            #expect(shown.isNull("identifier"))
            #expect(shown["disabled"] as? Bool == false)
            #expect(shown.string("createdAt") != nil)

            let answers = [
                shown, try await api.get("/admin/v1/consumer-credentials"), try await api.get("/admin/v1/consumer-credentials?user=\(user)"),
                try await api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": true]), try await api.get("/admin/v1/audit?pageSize=100"),
            ]
            for answer in answers {
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(!answer.text.contains(code))
                #expect(!answer.text.contains("ghac_"))
                #expect(!answer.text.lowercased().contains("secret"))
            }
        }
    }

    @Test("A pass code is 8 generated digits, answered once with the identifier, stored as a PBKDF2 hash")
    func passCode() async throws {
        try await withAdminAPI { api in
            let user = try await Self.user(api, "alice")
            let reply = try await api.post("/admin/v1/consumer-credentials", ["user": user, "kind": "pass_code", "identifier": "  card-0001  "])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(Set(reply.object.keys) == ["id", "identifier", "pass_code"])
            #expect(reply.string("identifier") == "card-0001")
            let passCode = try #require(reply.string("pass_code"))
            #expect(passCode.count == 8)
            #expect(passCode.allSatisfy { $0.isASCII && $0.isNumber })
            let id = try #require(reply.string("id"))

            let shown = try await api.get("/admin/v1/consumer-credentials/\(id)")
            #expect(Set(shown.object.keys) == Self.publicFields)
            #expect(shown.string("kind") == "pass_code")
            #expect(shown.string("identifier") == "card-0001")
            for answer in [shown, try await api.get("/admin/v1/consumer-credentials"), try await api.get("/admin/v1/audit?pageSize=100")] {
                #expect(!answer.text.contains("\"\(passCode)\""))
                #expect(!answer.text.contains("pbkdf2"))
                #expect(!answer.text.contains("pass_code\":"))
            }
        }
    }

    @Test("An identifier is unique within an organisation (409), and free in another")
    func identifierUniquePerOrganisation() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let alice = try await Self.user(api, "alice")
            let bob = try await Self.user(api, "bob")
            let carol = try await Self.user(api, "carol", organisation: "acme")
            try await api.createConsumerCredential(["user": alice, "kind": "pass_code", "identifier": "card-1"])
            let before = try await api.consumerCredentialSnapshot()
            let taken = try await api.post("/admin/v1/consumer-credentials", ["user": bob, "kind": "pass_code", "identifier": "card-1"])
            expectError(taken, .conflict, "conflict")
            #expect(try await api.consumerCredentialSnapshot() == before)
            // Identifiers are case-sensitive, like usernames.
            try await api.createConsumerCredential(["user": bob, "kind": "pass_code", "identifier": "CARD-1"])
            // The same identifier in another organisation is another credential.
            try await api.createConsumerCredential(["user": carol, "kind": "pass_code", "identifier": "card-1"])
            // A user may hold several credentials of both kinds.
            try await api.createConsumerCredential(["user": alice, "kind": "authentication_code"])
            try await api.createConsumerCredential(["user": alice, "kind": "authentication_code"])
            #expect(try await api.total("/admin/v1/consumer-credentials?user=\(alice)") == 3)
        }
    }

    struct BadCreate: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var status: HTTPResponse.Status = .badRequest
        var code = "invalid_request"
        var field: String?
        var contentType = "application/json"
        var testDescription: String { name }
    }

    /// `USER` is replaced by a real user id.
    static let badCreates: [BadCreate] = [
        BadCreate(name: "no user", body: #"{"kind":"authentication_code"}"#, field: "user"),
        BadCreate(name: "no kind", body: #"{"user":"USER"}"#, field: "kind"),
        BadCreate(name: "unknown kind", body: #"{"user":"USER","kind":"password"}"#, field: "kind"),
        BadCreate(name: "kind not a string", body: #"{"user":"USER","kind":1}"#, field: "kind"),
        BadCreate(name: "user not a string", body: #"{"user":["USER"],"kind":"authentication_code"}"#, field: "user"),
        BadCreate(name: "null user", body: #"{"user":null,"kind":"authentication_code"}"#, field: "user"),
        BadCreate(name: "pass_code without identifier", body: #"{"user":"USER","kind":"pass_code"}"#, field: "identifier"),
        BadCreate(name: "pass_code with null identifier", body: #"{"user":"USER","kind":"pass_code","identifier":null}"#, field: "identifier"),
        BadCreate(name: "empty identifier", body: #"{"user":"USER","kind":"pass_code","identifier":"   "}"#, field: "identifier"),
        BadCreate(name: "identifier too long", body: #"{"user":"USER","kind":"pass_code","identifier":"\#(String(repeating: "x", count: 201))"}"#, field: "identifier"),
        BadCreate(name: "identifier with a control character", body: #"{"user":"USER","kind":"pass_code","identifier":"a\u0007b"}"#, field: "identifier"),
        BadCreate(name: "identifier with authentication_code", body: #"{"user":"USER","kind":"authentication_code","identifier":"x"}"#, field: "identifier"),
        BadCreate(name: "a client-chosen code", body: #"{"user":"USER","kind":"authentication_code","authentication_code":"x"}"#, field: "authentication_code"),
        BadCreate(name: "a client-chosen pass code", body: #"{"user":"USER","kind":"pass_code","identifier":"x","pass_code":"12345678"}"#, field: "pass_code"),
        BadCreate(name: "unknown field", body: #"{"user":"USER","kind":"authentication_code","organisation":"default"}"#, field: "organisation"),
        BadCreate(name: "not JSON", body: #"{"user":"#),
        BadCreate(name: "an array", body: #"[]"#),
        BadCreate(name: "not UTF-8", body: "{\"user\":\"\u{FFFF}\"}"),
        BadCreate(name: "unknown user", body: #"{"user":"00000000-0000-0000-0000-000000000000","kind":"authentication_code"}"#, status: .notFound, code: "not_found"),
        BadCreate(name: "form content type", body: #"{"user":"USER","kind":"authentication_code"}"#, status: .unsupportedMediaType, contentType: "application/x-www-form-urlencoded"),
    ]

    @Test("Bad creates are 4xx in the admin error format and change nothing", arguments: badCreates)
    func badCreate(_ bad: BadCreate) async throws {
        try await withAdminAPI { api in
            let user = try await Self.user(api, "alice")
            try await api.createConsumerCredential(["user": user, "kind": "pass_code", "identifier": "taken"])
            let before = try await api.consumerCredentialSnapshot()
            var bytes = Array(bad.body.replacingOccurrences(of: "USER", with: user).utf8)
            if bad.name == "not UTF-8" { bytes = [0x7B, 0x22, 0x75, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D] }
            let reply = try await api.send(.post, "/admin/v1/consumer-credentials", body: ByteBuffer(bytes: bytes), contentType: bad.contentType)
            expectError(reply, bad.status, bad.code, field: bad.field)
            #expect(try await api.consumerCredentialSnapshot() == before)
        }
    }

    @Test("Listing filters by organisation (id or name) and user, pages, and 404s an unknown filter")
    func list() async throws {
        try await withAdminAPI { api in
            let acme = try await api.createOrganisation("acme")
            let alice = try await Self.user(api, "alice")
            let carol = try await Self.user(api, "carol", organisation: "acme")
            try await api.createConsumerCredential(["user": alice, "kind": "authentication_code"])
            try await api.createConsumerCredential(["user": alice, "kind": "pass_code", "identifier": "alice-card"])
            try await api.createConsumerCredential(["user": carol, "kind": "pass_code", "identifier": "carol-card"])

            let all = try await api.get("/admin/v1/consumer-credentials")
            #expect(all.total == 3)
            #expect(all.items.allSatisfy { Set($0.keys) == Self.publicFields })
            #expect(try await api.total("/admin/v1/consumer-credentials?organisation=acme") == 1)
            #expect(try await api.total("/admin/v1/consumer-credentials?organisation=\(acme["id"] as! String)") == 1)
            #expect(try await api.total("/admin/v1/consumer-credentials?organisation=default") == 2)
            #expect(try await api.total("/admin/v1/consumer-credentials?user=\(alice)") == 2)
            #expect(try await api.total("/admin/v1/consumer-credentials?user=\(alice)&organisation=acme") == 0)
            #expect(try await api.total("/admin/v1/consumer-credentials?keywords=carol") == 1)
            let page = try await api.get("/admin/v1/consumer-credentials?pageSize=2&pageIndex=2")
            #expect(page.items.count == 1)
            #expect(page.total == 3)
            expectError(try await api.get("/admin/v1/consumer-credentials?organisation=nowhere"), .notFound, "not_found")
            expectError(try await api.get("/admin/v1/consumer-credentials?user=nobody"), .notFound, "not_found")
            expectError(try await api.get("/admin/v1/consumer-credentials?pageSize=0"), .badRequest, "invalid_request", field: "pageSize")
        }
    }

    @Test("PATCH changes only disabled; DELETE removes; both are audited without secrets")
    func updateAndDelete() async throws {
        try await withAdminAPI { api in
            let user = try await Self.user(api, "alice")
            let created = try await api.createConsumerCredential(["user": user, "kind": "pass_code", "identifier": "card"])
            let id = try #require(created["id"] as? String)
            let passCode = try #require(created["pass_code"] as? String)

            let disabled = try await api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": true])
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(disabled["disabled"] as? Bool == true)
            #expect(Set(disabled.object.keys) == Self.publicFields)
            #expect(try await api.get("/admin/v1/consumer-credentials/\(id)")["disabled"] as? Bool == true)
            let enabled = try await api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": false])
            #expect(enabled["disabled"] as? Bool == false)

            let before = try await api.consumerCredentialSnapshot()
            expectError(try await api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": NSNull()]), .badRequest, "invalid_request", field: "disabled")
            expectError(try await api.patch("/admin/v1/consumer-credentials/\(id)", ["identifier": "other"]), .badRequest, "invalid_request", field: "identifier")
            expectError(try await api.patch("/admin/v1/consumer-credentials/\(id)", ["disabled": "yes"]), .badRequest, "invalid_request", field: "disabled")
            let unknown = "00000000-0000-0000-0000-000000000000"
            expectError(try await api.patch("/admin/v1/consumer-credentials/\(unknown)", ["disabled": true]), .notFound, "not_found")
            expectError(try await api.get("/admin/v1/consumer-credentials/\(unknown)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/consumer-credentials/\(unknown)"), .notFound, "not_found")
            #expect(try await api.consumerCredentialSnapshot() == before)

            let deleted = try await api.delete("/admin/v1/consumer-credentials/\(id)")
            #expect(deleted.status == .noContent)
            expectError(try await api.get("/admin/v1/consumer-credentials/\(id)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/consumer-credentials/\(id)"), .notFound, "not_found")

            let entries = try await api.auditEntries()
            let actions = entries.filter { $0["targetId"] as? String == id }.map { $0["action"] as? String }
            #expect(actions == ["consumercredential.delete", "consumercredential.update", "consumercredential.update", "consumercredential.create"])
            #expect(entries.filter { $0["targetId"] as? String == id }.allSatisfy { $0["targetType"] as? String == "consumercredential" })
            let update = try #require(entries.first { $0["action"] as? String == "consumercredential.update" })
            #expect((update["details"] as? [String: String])?["fields"] == "disabled")
            let audit = try await api.get("/admin/v1/audit?pageSize=100")
            #expect(!audit.text.contains("\"\(passCode)\""))
            #expect(!audit.text.contains("pbkdf2"))
        }
    }

    @Test("Deleting a user deletes its consumer credentials")
    func deletedWithUser() async throws {
        try await withAdminAPI { api in
            let alice = try await Self.user(api, "alice")
            let bob = try await Self.user(api, "bob")
            try await api.createConsumerCredential(["user": alice, "kind": "authentication_code"])
            try await api.createConsumerCredential(["user": alice, "kind": "pass_code", "identifier": "alice"])
            try await api.createConsumerCredential(["user": bob, "kind": "authentication_code"])
            #expect(try await api.delete("/admin/v1/users/\(alice)").status == .noContent)
            #expect(try await api.total("/admin/v1/consumer-credentials") == 1)
            // The identifier is free again.
            try await api.createConsumerCredential(["user": bob, "kind": "pass_code", "identifier": "alice"])
        }
    }

    @Test("Every consumer-credential route needs the admin key")
    func needsAdminKey() async throws {
        try await withAdminAPI { api in
            let user = try await Self.user(api, "alice")
            let created = try await api.createConsumerCredential(["user": user, "kind": "authentication_code"])
            let id = try #require(created["id"] as? String)
            let before = try await api.consumerCredentialSnapshot()
            let requests: [(HTTPRequest.Method, String, ByteBuffer?)] = [
                (.get, "/admin/v1/consumer-credentials", nil),
                (.post, "/admin/v1/consumer-credentials", jsonBody(["user": user, "kind": "authentication_code"])),
                (.get, "/admin/v1/consumer-credentials/\(id)", nil),
                (.patch, "/admin/v1/consumer-credentials/\(id)", jsonBody(["disabled": true])),
                (.delete, "/admin/v1/consumer-credentials/\(id)", nil),
            ]
            for (method, uri, body) in requests {
                let reply = try await api.send(method, uri, body: body, credential: .none)
                expectError(reply, .unauthorized, "unauthorized")
            }
            #expect(try await api.consumerCredentialSnapshot() == before)
        }
    }
}
