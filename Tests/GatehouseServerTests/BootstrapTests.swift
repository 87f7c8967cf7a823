import Foundation
import GatehouseCore
import GatehouseServer
import GatehouseStore
import HummingbirdTesting
import Logging
import HTTPTypes
import Testing

@Suite("Bootstrap admin key")
struct BootstrapTests {
    /// Starts a server on `sandbox`'s database with `bootstrapKey`, and runs `body` with `key`.
    static func start<Value: Sendable>(
        _ sandbox: Sandbox, bootstrapKey: String?, key: String,
        _ body: @Sendable (AdminClient) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(sandbox.configuration(bootstrapAdminKey: bootstrapKey))
        return try await app.test(.router) { client in try await body(AdminClient(client: client, key: key)) }
    }

    static func adminKeyCount(_ sandbox: Sandbox) async throws -> Int {
        let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let count = try await database.store.adminKeyCount()
        try await database.close()
        return count
    }

    static func adminKeyCreations(_ api: AdminClient) async throws -> Int {
        try await api.auditEntries().filter { $0["action"] as? String == "adminkey.create" }.count
    }

    @Test("Starting twice with the same bootstrap key keeps it working and adds no second admin key")
    func sameKeyTwice() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let key = sandbox.adminKey
        try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws in
            try await api.createOrganisation("acme")
            #expect(try await Self.adminKeyCreations(api) == 1)
        }
        try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
            #expect(try await api.get("/admin/v1/orgs/acme").status == .ok)
            #expect(try await api.total("/admin/v1/orgs") == 2)
        }
        #expect(try await Self.adminKeyCount(sandbox) == 1)
        try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws in
            // SPEC §2: "starting again with the same value changes nothing" — the audit log included.
            #expect(try await Self.adminKeyCreations(api) == 1)
            #expect(try await api.total("/admin/v1/orgs") == 2)
        }
    }

    @Test("A different bootstrap key on a later start is added, and the first key still works")
    func secondKeyIsAdded() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = sandbox.adminKey
        let second = SecretFormat.generate(.adminKey)
        try await Self.start(sandbox, bootstrapKey: first, key: first) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
        }
        try await Self.start(sandbox, bootstrapKey: second, key: second) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
            #expect(try await api.get("/admin/v1/orgs", credential: .header("Bearer \(first)")).status == .ok)
        }
        #expect(try await Self.adminKeyCount(sandbox) == 2)
    }

    @Test("Starting without a bootstrap key keeps the existing admin key and creates none")
    func noKeyKeepsExisting() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let key = sandbox.adminKey
        try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
        }
        try await Self.start(sandbox, bootstrapKey: nil, key: key) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
        }
        #expect(try await Self.adminKeyCount(sandbox) == 1)
    }

    @Test(
        "A malformed bootstrap key makes buildApplication throw",
        arguments: [
            "not-a-key",
            "",
            "ghadm_",
            corrupted(SecretFormat.generate(.adminKey)),
            SecretFormat.generate(.adminKey) + " ",
            SecretFormat.generate(.clientSecret),
        ]
    )
    func malformedKey(_ key: String) async throws {
        let sandbox = try Sandbox(adminKey: key)
        defer { sandbox.remove() }
        await #expect(throws: (any Error).self) {
            _ = try await buildApplication(sandbox.configuration)
        }
        // The failed start closed the database: a good key starts on it afterwards.
        let good = SecretFormat.generate(.adminKey)
        try await Self.start(sandbox, bootstrapKey: good, key: good) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok)
        }
    }

    @Test("A disabled bootstrap key stays disabled when the server starts again with it; a deleted one is added again")
    func restartNeverUndoesADisable() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let key = sandbox.adminKey
        let other = try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws -> String in
            let created = try await api.post("/admin/v1/admin-keys", ["name": "ops"])
            let bootstrap = try #require(try await api.get("/admin/v1/admin-keys?keywords=bootstrap").items.first?["id"] as? String)
            #expect(try await api.patch("/admin/v1/admin-keys/\(bootstrap)", ["disabled": true]).status == .ok)
            return try #require(created.string("key"))
        }
        try await Self.start(sandbox, bootstrapKey: key, key: other) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs", credential: .header("Bearer \(key)")).status == .unauthorized)
            let bootstrap = try #require(try await api.get("/admin/v1/admin-keys?keywords=bootstrap").items.first?["id"] as? String)
            #expect(try await api.delete("/admin/v1/admin-keys/\(bootstrap)").status == .noContent)
        }
        try await Self.start(sandbox, bootstrapKey: key, key: key) { (api: AdminClient) async throws in
            #expect(try await api.get("/admin/v1/orgs").status == .ok, "SPEC §2: a bootstrap key the database lacks is added")
        }
    }
}
