import Foundation
import GatehouseCore
import GatehouseServer
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Admin API: audit log")
struct AuditTests {
    /// Runs `change`, then checks it added exactly one audit entry with this action and target,
    /// made by an admin key from an IP address.
    static func expectOneEntry(
        _ api: AdminClient, action: String, targetId: @autoclosure () throws -> String?,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ change: () async throws -> Reply
    ) async throws -> Reply {
        let before = try await api.auditTotal()
        let reply = try await change()
        #expect((200..<300).contains(reply.status.code), "\(reply.text)", sourceLocation: sourceLocation)
        #expect(try await api.auditTotal() == before + 1, "\(action)", sourceLocation: sourceLocation)
        let newest = try #require(try await api.auditEntries(pageSize: 1).first, sourceLocation: sourceLocation)
        #expect(newest["action"] as? String == action, sourceLocation: sourceLocation)
        #expect((newest["actor"] as? String)?.hasPrefix("adminkey:") == true, "\(newest)", sourceLocation: sourceLocation)
        let expectedTarget = try targetId() ?? reply.string("id")
        #expect(newest["targetId"] as? String == expectedTarget, "\(newest)", sourceLocation: sourceLocation)
        #expect((newest["ip"] as? String)?.isEmpty == false, "\(newest)", sourceLocation: sourceLocation)
        #expect((newest["id"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(newest["at"] is String, sourceLocation: sourceLocation)
        return reply
    }

    @Test("Every change adds one audit entry with action, admin actor, target and IP")
    func everyChangeIsAudited() async throws {
        // A live server, so requests have a real peer address.
        try await withAdminAPI(.live) { api in
            let org = try await Self.expectOneEntry(api, action: "organisation.create", targetId: nil) {
                try await api.post("/admin/v1/orgs", ["name": "acme"])
            }
            let orgID = try #require(org.string("id"))
            let updatedOrg = try await Self.expectOneEntry(api, action: "organisation.update", targetId: orgID) {
                try await api.patch("/admin/v1/orgs/acme", ["maxApplications": 5])
            }
            #expect(updatedOrg.int("maxApplications") == 5)
            let orgUpdate = try #require(try await api.auditEntries(pageSize: 1).first)
            #expect((orgUpdate["details"] as? [String: String])?["fields"] == "maxApplications")

            let app = try await Self.expectOneEntry(api, action: "application.create", targetId: nil) {
                try await api.post("/admin/v1/apps", ["name": "shop", "organisation": "acme"])
            }
            let appID = try #require(app.string("id"))
            _ = try await Self.expectOneEntry(api, action: "application.update", targetId: appID) {
                try await api.patch("/admin/v1/apps/\(appID)", ["description": "web shop", "scopes": ["a"]])
            }
            let appUpdate = try #require(try await api.auditEntries(pageSize: 1).first)
            let fields = (appUpdate["details"] as? [String: String])?["fields"]?.split(separator: ",").map(String.init)
            #expect(Set(fields ?? []) == ["description", "scopes"])
            #expect(!"\(appUpdate)".contains("web shop"), "details name fields, never values")
            _ = try await Self.expectOneEntry(api, action: "application.secret.regenerate", targetId: appID) {
                try await api.send(.post, "/admin/v1/apps/\(appID)/secret")
            }
            _ = try await Self.expectOneEntry(api, action: "application.delete", targetId: appID) {
                try await api.delete("/admin/v1/apps/\(appID)")
            }
            _ = try await Self.expectOneEntry(api, action: "organisation.delete", targetId: orgID) {
                try await api.delete("/admin/v1/orgs/\(orgID)")
            }
        }
    }

    @Test("Reads and refused changes add no audit entry")
    func readsAreNotAudited() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let before = try await api.auditTotal()
            _ = try await api.get("/admin/v1/orgs")
            _ = try await api.get("/admin/v1/orgs/acme")
            _ = try await api.get("/admin/v1/apps")
            _ = try await api.get("/admin/v1/audit")
            _ = try await api.post("/admin/v1/orgs", ["name": "acme"])
            _ = try await api.delete("/admin/v1/orgs/default")
            _ = try await api.get("/admin/v1/orgs", credential: .none)
            #expect(try await api.auditTotal() == before)
        }
    }

    @Test("The audit log lists newest first, pages, and filters by keywords")
    func listing() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            try await api.createApplication(["name": "shop", "organisation": "acme"])
            let all = try await api.get("/admin/v1/audit")
            #expect(all.status == .ok)
            let actions = all.items.compactMap { $0["action"] as? String }
            #expect(actions.prefix(2) == ["application.create", "organisation.create"])
            #expect(all.total == actions.count)
            let filtered = try await api.get("/admin/v1/audit?keywords=APPLICATION")
            #expect(filtered.total == 1)
            let page = try await api.get("/admin/v1/audit?pageSize=1&pageIndex=2")
            #expect(page.items.first?["action"] as? String == "organisation.create")
        }
    }

    @Test("The audit log is read-only")
    func readOnly() async throws {
        try await withAdminAPI { api in
            let before = try await api.auditTotal()
            let post = try await api.post("/admin/v1/audit", ["action": "forged"])
            #expect((400..<500).contains(post.status.code))
            let delete = try await api.delete("/admin/v1/audit")
            #expect((400..<500).contains(delete.status.code))
            #expect(try await api.auditTotal() == before)
        }
    }

    // MARK: Issue 14 point 10

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The newest audit entries with this action.
    static func entries(_ api: AdminClient, action: String) async throws -> [[String: Any]] {
        try await api.auditEntries().filter { $0["action"] as? String == action }
    }

    @Test("Behind a trusted proxy the audit log records the client's address, as /v1/check resolves it")
    func clientAddressFromTrustedProxy() async throws {
        try await withAdminAPI(.live, configure: { $0.trustedProxies = [CIDR("127.0.0.0/8")!, CIDR("::1/128")!] }) { api in
            let reply = try await api.send(
                .post, "/admin/v1/orgs", body: jsonBody(["name": "acme"]),
                credential: .header("Bearer \(api.key)"), extraHeaders: [Self.forwardedFor: "198.51.100.7"]
            )
            #expect(reply.status == .created)
            #expect(try await api.auditEntries(pageSize: 1).first?["ip"] as? String == "198.51.100.7")
        }
    }

    @Test("From an untrusted peer X-Forwarded-For is ignored and the peer's address is recorded")
    func untrustedForwardedFor() async throws {
        try await withAdminAPI(.live) { api in
            let reply = try await api.send(
                .post, "/admin/v1/orgs", body: jsonBody(["name": "acme"]),
                credential: .header("Bearer \(api.key)"), extraHeaders: [Self.forwardedFor: "198.51.100.7"]
            )
            #expect(reply.status == .created)
            let ip = try #require(try await api.auditEntries(pageSize: 1).first?["ip"] as? String)
            #expect(ip != "198.51.100.7" && !ip.isEmpty)
        }
    }

    @Test("A failed admin authentication is audited with the client's address and at most the key's prefix")
    func failedAuthenticationAudited() async throws {
        try await withAdminAPI(.live, configure: { $0.trustedProxies = [CIDR("127.0.0.0/8")!, CIDR("::1/128")!] }) { api in
            let wrong = SecretFormat.generate(.adminKey)
            let reply = try await api.send(.get, "/admin/v1/orgs", credential: .header("Bearer \(wrong)"), extraHeaders: [Self.forwardedFor: "198.51.100.8"])
            expectError(reply, .unauthorized, "unauthorized")
            let rows = try await Self.entries(api, action: "adminkey.authenticate.failure")
            let row = try #require(rows.first, "no failure row")
            #expect(rows.count == 1)
            #expect(row["actor"] as? String == "unknown")
            #expect(row["ip"] as? String == "198.51.100.8")
            let details = row["details"] as? [String: String]
            #expect(details?["count"] == "1")
            #expect(details?["keyPrefix"] == String(wrong.prefix(10)))
            // A value that is no admin key (a password pasted by mistake) leaves none of itself.
            _ = try await api.send(.get, "/admin/v1/orgs", credential: .header("Bearer hunter2-password"), extraHeaders: [Self.forwardedFor: "198.51.100.9"])
            let text = try await api.get("/admin/v1/audit?pageSize=100").text
            #expect(!text.contains(wrong) && !text.contains("hunter2"))
            #expect(try await Self.entries(api, action: "adminkey.authenticate.failure").count == 2)
        }
    }

    @Test("A flood of failed admin authentications from one address leaves one audit row")
    func floodIsRateLimited() async throws {
        try await withAdminAPI(.live, configure: { $0.throttle = ThrottlePolicy(limit: 0) }) { api in
            for _ in 0..<40 {
                _ = try await api.get("/admin/v1/orgs", credential: .header("Bearer \(SecretFormat.generate(.adminKey))"))
            }
            #expect(try await Self.entries(api, action: "adminkey.authenticate.failure").count == 1)
        }
    }
}
