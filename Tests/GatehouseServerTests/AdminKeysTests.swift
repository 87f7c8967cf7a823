import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 14 point 8: admin keys can be listed, changed and revoked, and a revoked key stops at once.
@Suite("Admin API: admin keys")
struct AdminKeysTests {
    /// Creates an admin key through the API and returns its JSON (with `key`).
    static func create(_ api: AdminClient, _ fields: [String: Any] = ["name": "ops"]) async throws -> [String: Any] {
        let reply = try await api.post("/admin/v1/admin-keys", fields)
        try #require(reply.status == .created, "\(reply.status) \(reply.text)")
        return reply.object
    }

    /// The same API seen with another admin key.
    static func using(_ api: AdminClient, _ key: String) -> AdminClient { AdminClient(client: api.client, key: key) }

    @Test("Admin keys are listed in the paging shape, with a prefix and never the key or its hash")
    func listed() async throws {
        try await withAdminAPI { api in
            let created = try await Self.create(api, ["name": "ops", "expiresAt": "2099-01-01T00:00:00Z"])
            let key = try #require(created["key"] as? String)
            #expect(key.hasPrefix("ghadm_"))
            #expect(created["keyPrefix"] as? String == String(key.prefix(10)))
            #expect(created["expiresAt"] as? String == "2099-01-01T00:00:00Z")
            #expect(created["organisation"] is NSNull, "operator key: no organisation")
            let list = try await api.get("/admin/v1/admin-keys")
            #expect(list.status == .ok)
            #expect(list.total == 2)
            #expect(list.int("pageIndex") == 1 && list.int("pageSize") == 25)
            #expect(Set(list.items.compactMap { $0["name"] as? String }) == ["bootstrap", "ops"])
            #expect(!list.text.contains(key) && !list.text.contains(api.key))
            #expect(list.items.allSatisfy { $0["key"] == nil && $0["keyHash"] == nil && $0["disabled"] as? Bool == false })
            let id = try #require(created["id"] as? String)
            let shown = try await api.get("/admin/v1/admin-keys/\(id)")
            #expect(shown.string("name") == "ops" && shown["key"] == nil)
            #expect(try await api.get("/admin/v1/admin-keys?keywords=OPS").total == 1)
        }
    }

    @Test("A new admin key works; disabled or deleted, it is refused from the next request on")
    func revokedAtOnce() async throws {
        try await withAdminAPI { api in
            let created = try await Self.create(api)
            let id = try #require(created["id"] as? String)
            let other = Self.using(api, try #require(created["key"] as? String))
            #expect(try await other.get("/admin/v1/orgs").status == .ok)
            #expect(try await api.patch("/admin/v1/admin-keys/\(id)", ["disabled": true]).status == .ok)
            expectError(try await other.get("/admin/v1/orgs"), .unauthorized, "unauthorized")
            #expect(try await api.patch("/admin/v1/admin-keys/\(id)", ["disabled": false]).status == .ok)
            #expect(try await other.get("/admin/v1/orgs").status == .ok)
            #expect(try await api.delete("/admin/v1/admin-keys/\(id)").status == .noContent)
            expectError(try await other.get("/admin/v1/orgs"), .unauthorized, "unauthorized")
            expectError(try await api.get("/admin/v1/admin-keys/\(id)"), .notFound, "not_found")
        }
    }

    @Test("An admin key is refused once its expiry has passed")
    func expires() async throws {
        try await withAdminAPI { api in
            let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 6).rounded(.up)) // a loaded CI machine may take seconds per request
            let created = try await Self.create(api, ["name": "short", "expiresAt": expiry.formatted(.iso8601)])
            let short = Self.using(api, try #require(created["key"] as? String))
            #expect(try await short.get("/admin/v1/orgs").status == .ok)
            try await Task.sleep(for: .milliseconds(Int((expiry.timeIntervalSinceNow + 0.3) * 1000)))
            expectError(try await short.get("/admin/v1/orgs"), .unauthorized, "unauthorized")
        }
    }

    @Test("The last usable admin key can be neither disabled nor deleted; any other can, the caller's own included")
    func lastKeyStays() async throws {
        try await withAdminAPI { api in
            let mine = try #require(try await api.get("/admin/v1/admin-keys").items.first?["id"] as? String)
            expectError(try await api.delete("/admin/v1/admin-keys/\(mine)"), .conflict, "conflict")
            expectError(try await api.patch("/admin/v1/admin-keys/\(mine)", ["disabled": true]), .conflict, "conflict")
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
            let created = try await Self.create(api)
            let other = Self.using(api, try #require(created["key"] as? String))
            let otherId = try #require(created["id"] as? String)
            // A disabled key does not count as the one that stays.
            #expect(try await api.patch("/admin/v1/admin-keys/\(otherId)", ["disabled": true]).status == .ok)
            expectError(try await api.delete("/admin/v1/admin-keys/\(mine)"), .conflict, "conflict")
            #expect(try await api.patch("/admin/v1/admin-keys/\(otherId)", ["disabled": false]).status == .ok)
            // With another usable key, a key may delete itself (as Keycloak and Unkey allow).
            #expect(try await api.delete("/admin/v1/admin-keys/\(mine)").status == .noContent)
            expectError(try await api.get("/admin/v1/orgs"), .unauthorized, "unauthorized")
            expectError(try await other.delete("/admin/v1/admin-keys/\(otherId)"), .conflict, "conflict")
        }
    }

    @Test("Bad admin-key input is a 400 naming the field", arguments: [
        (#"{"name": ""}"#, "name"), (#"{"name": null}"#, "name"), (#"{}"#, "name"), (#"{"name": "x", "organisation": "acme"}"#, "organisation"),
        (#"{"name": "x", "expiresAt": "tomorrow"}"#, "expiresAt"), (#"{"name": "x", "expiresAt": "2001-01-01T00:00:00Z"}"#, "expiresAt"),
        (#"{"name": "x", "key": "ghadm_chosen"}"#, "key"),
    ])
    func badCreate(body: String, field: String) async throws {
        try await withAdminAPI { api in
            let before = try await api.auditTotal()
            let reply = try await api.send(.post, "/admin/v1/admin-keys", body: ByteBuffer(string: body))
            expectError(reply, .badRequest, "invalid_request", field: field)
            #expect(try await api.auditTotal() == before)
        }
    }

    @Test("Bad admin-key patches are a 400 naming the field, an unknown id a 404")
    func badPatch() async throws {
        try await withAdminAPI { api in
            let id = try #require(try await Self.create(api)["id"] as? String)
            for (body, field) in [(#"{"disabled": null}"#, "disabled"), (#"{"name": null}"#, "name"), (#"{"disabled": "yes"}"#, "disabled"),
                                  (#"{"expiresAt": "2001-01-01T00:00:00Z"}"#, "expiresAt")] {
                let reply = try await api.send(.patch, "/admin/v1/admin-keys/\(id)", body: ByteBuffer(string: body))
                expectError(reply, .badRequest, "invalid_request", field: field)
            }
            expectError(try await api.patch("/admin/v1/admin-keys/nope", ["name": "x"]), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/admin-keys/nope"), .notFound, "not_found")
        }
    }

    @Test("Creating, changing and deleting an admin key each add one audit entry")
    func audited() async throws {
        try await withAdminAPI(.live) { api in
            let created = try await AuditTests.expectOneEntry(api, action: "adminkey.create", targetId: nil) {
                try await api.post("/admin/v1/admin-keys", ["name": "ops"])
            }
            let id = try #require(created.string("id"))
            _ = try await AuditTests.expectOneEntry(api, action: "adminkey.update", targetId: id) {
                try await api.patch("/admin/v1/admin-keys/\(id)", ["name": "ops2", "disabled": true])
            }
            let update = try #require(try await api.auditEntries(pageSize: 1).first)
            #expect(Set(((update["details"] as? [String: String])?["fields"] ?? "").split(separator: ",")) == ["name", "disabled"])
            _ = try await AuditTests.expectOneEntry(api, action: "adminkey.delete", targetId: id) {
                try await api.delete("/admin/v1/admin-keys/\(id)")
            }
            let text = try await api.get("/admin/v1/audit?pageSize=100").text
            #expect(!text.contains(try #require(created.string("key"))))
        }
    }

    @Test("lastUsedAt is written in a batch a few seconds after use")
    func lastUsed() async throws {
        try await withAdminAPI(.live) { api in
            let mine = try #require(try await api.get("/admin/v1/admin-keys").items.first)
            let id = try #require(mine["id"] as? String)
            let deadline = Date().addingTimeInterval(12)
            var lastUsed: String?
            while lastUsed == nil, Date() < deadline {
                try await Task.sleep(for: .milliseconds(500))
                lastUsed = try await api.get("/admin/v1/admin-keys/\(id)").string("lastUsedAt")
            }
            #expect(lastUsed != nil)
        }
    }

    @Test("Two servers on one database: a key disabled through one is refused by the other at once")
    func everyInstance() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = try await buildApplication(sandbox.configuration)
        let second = try await buildApplication(sandbox.configuration)
        try await first.test(.router) { one in
            try await second.test(.router) { two in
                let api = AdminClient(client: one, key: sandbox.adminKey)
                let created = try await Self.create(api)
                let key = try #require(created["key"] as? String)
                let elsewhere = AdminClient(client: two, key: key)
                #expect(try await elsewhere.get("/admin/v1/orgs").status == .ok)
                #expect(try await api.patch("/admin/v1/admin-keys/\(try #require(created["id"] as? String))", ["disabled": true]).status == .ok)
                expectError(try await elsewhere.get("/admin/v1/orgs"), .unauthorized, "unauthorized")
            }
        }
    }
}
