import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool {
        // Not `change(audit:)`: when the key is already there nothing changes, so nothing is audited.
        try await executor.transaction { database in
            let existing = try await database.raw("SELECT id FROM admin_keys WHERE key_hash = \(bind: key.keyHash)").first()
            guard existing == nil else { return false }
            try await database.raw("""
                INSERT INTO admin_keys (
                    id, name, key_hash, key_prefix, organisation_id, expires_at, last_used_at, disabled, created_at, updated_at)
                VALUES (
                    \(bind: key.id), \(bind: key.name), \(bind: key.keyHash), \(bind: key.keyPrefix), \(bind: key.organisationId),
                    \(bind: key.expiresAt?.epochMilliseconds), \(bind: key.lastUsedAt?.epochMilliseconds), \(bind: key.disabled),
                    \(bind: key.createdAt.epochMilliseconds), \(bind: key.updatedAt.epochMilliseconds))
                """).run()
            try await Self.insert(audit, on: database)
            return true
        }
    }

    public func adminKey(hash: String) async throws -> AdminKey? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM admin_keys WHERE key_hash = \(bind: hash)").first().map(Self.adminKey(from:))
        }
    }

    public func adminKey(id: String) async throws -> AdminKey? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM admin_keys WHERE id = \(bind: id)").first().map(Self.adminKey(from:))
        }
    }

    public func adminKeys(_ request: PageRequest) async throws -> Page<AdminKey> {
        let keywords = Self.keywordFilter(request.keywords, columns: ["name", "key_prefix"])
        return try await page(from: "admin_keys", where: keywords, orderBy: "created_at, id", request, decode: Self.adminKey(from:))
    }

    public func adminKeyCount() async throws -> Int {
        try await executor.read { database in
            try await database.raw("SELECT COUNT(*) AS total FROM admin_keys").first()?.decode(column: "total", as: Int.self) ?? 0
        }
    }

    public func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        let lock = dialect
        try await change(audit: audit, conflict: "an admin key with this hash exists") { database in
            if !key.isUsable(at: now) {
                try await Self.requireAnotherUsableAdminKey(than: key.id, at: now, on: database, dialect: lock)
            }
            let updated = try await database.raw("""
                UPDATE admin_keys SET name = \(bind: key.name), expires_at = \(bind: key.expiresAt?.epochMilliseconds),
                    disabled = \(bind: key.disabled), updated_at = \(bind: key.updatedAt.epochMilliseconds)
                WHERE id = \(bind: key.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("admin key '\(key.id)'") }
        }
    }

    public func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        let lock = dialect
        try await change(audit: audit, conflict: "admin key in use") { database in
            try await Self.requireAnotherUsableAdminKey(than: id, at: now, on: database, dialect: lock)
            let deleted = try await database.raw("DELETE FROM admin_keys WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("admin key '\(id)'") }
        }
    }

    /// The lock-out guard: some key other than `id` must stay usable at `now`. On PostgreSQL the
    /// usable keys are locked (`FOR UPDATE`), so two transactions revoking the last two keys at
    /// once run one after the other and the second sees the first's change; SQLite has one writer.
    static func requireAnotherUsableAdminKey(than id: String, at now: Date, on database: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let lockClause = dialect == .postgres ? " FOR UPDATE" : ""
        let usable = try await database.raw(
            """
            SELECT id FROM admin_keys
            WHERE disabled = \(bind: false) AND (expires_at IS NULL OR expires_at > \(bind: now.epochMilliseconds))
            """ + SQLQueryString(lockClause)
        ).all()
        let others = try usable.filter { try $0.decode(column: "id", as: String.self) != id }
        guard !others.isEmpty else {
            throw DomainError.conflict("the last usable admin key cannot be disabled, expired or deleted: create another one first")
        }
    }

    /// Batched like API keys' last use (``recordLastUse(in:_:)``).
    public func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws {
        try await recordLastUse(in: .adminKeys, lastUsed)
    }

    static func adminKey(from row: any SQLRow) throws -> AdminKey {
        AdminKey(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            keyHash: try row.decode(column: "key_hash", as: String.self),
            keyPrefix: try row.decode(column: "key_prefix", as: String?.self),
            organisationId: try row.decode(column: "organisation_id", as: String?.self),
            expiresAt: try row.decode(column: "expires_at", as: Int?.self).map(Date.init(epochMilliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int?.self).map(Date.init(epochMilliseconds:)),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
