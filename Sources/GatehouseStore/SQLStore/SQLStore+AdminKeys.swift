import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool {
        // Not `change(audit:)`: when the key is already there nothing changes, so nothing is audited.
        try await executor.transaction { database in
            let existing = try await database.raw("SELECT id FROM admin_keys WHERE key_hash = \(bind: key.keyHash)").first()
            guard existing == nil else { return false }
            try await database.raw("""
                INSERT INTO admin_keys (id, name, key_hash, created_at)
                VALUES (\(bind: key.id), \(bind: key.name), \(bind: key.keyHash), \(bind: key.createdAt.epochMilliseconds))
                """).run()
            try await Self.insert(audit, on: database)
            return true
        }
    }

    public func adminKey(hash: String) async throws -> AdminKey? {
        try await executor.read { database in
            guard let row = try await database.raw("SELECT * FROM admin_keys WHERE key_hash = \(bind: hash)").first() else { return nil }
            return AdminKey(
                id: try row.decode(column: "id", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                keyHash: try row.decode(column: "key_hash", as: String.self),
                createdAt: try row.date("created_at")
            )
        }
    }

    public func adminKeyCount() async throws -> Int {
        try await executor.read { database in
            try await database.raw("SELECT COUNT(*) AS total FROM admin_keys").first()?.decode(column: "total", as: Int.self) ?? 0
        }
    }
}
