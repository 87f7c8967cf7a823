import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "an API key with this hash exists") { database in
            let organisation = try await database.raw("SELECT id FROM organisations WHERE id = \(bind: key.organisationId)").first()
            guard organisation != nil else { throw DomainError.notFound("organisation '\(key.organisationId)'") }
            if let applicationId = key.applicationId {
                let owner = try await database.raw(
                    "SELECT id FROM applications WHERE id = \(bind: applicationId) AND organisation_id = \(bind: key.organisationId)"
                ).first()
                guard owner != nil else { throw DomainError.notFound("application '\(applicationId)'") }
            }
            if let userId = key.userId {
                let owner = try await database.raw(
                    "SELECT id FROM users WHERE id = \(bind: userId) AND organisation_id = \(bind: key.organisationId)"
                ).first()
                guard owner != nil else { throw DomainError.notFound("user '\(userId)'") }
            }
            try await database.raw("""
                INSERT INTO api_keys (
                    id, organisation_id, name, description, key_hash, key_prefix, application_id, user_id, scopes,
                    expires_at, last_used_at, disabled, created_at, updated_at)
                VALUES (
                    \(bind: key.id), \(bind: key.organisationId), \(bind: key.name), \(bind: key.description), \(bind: key.keyHash),
                    \(bind: key.keyPrefix), \(bind: key.applicationId), \(bind: key.userId), \(bind: key.scopes.jsonText),
                    \(bind: key.expiresAt?.epochMilliseconds), \(bind: key.lastUsedAt?.epochMilliseconds), \(bind: key.disabled),
                    \(bind: key.createdAt.epochMilliseconds), \(bind: key.updatedAt.epochMilliseconds))
                """).run()
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM api_keys WHERE id = \(bind: id)").first().map(Self.apiKey(from:))
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM api_keys WHERE key_hash = \(bind: hash)").first().map(Self.apiKey(from:))
        }
    }

    public func apiKeys(organisationId: String?, _ request: PageRequest) async throws -> Page<APIKey> {
        let keywords = Self.keywordFilter(request.keywords, columns: ["name", "description", "key_prefix"])
        let organisation: SQLQueryString? = organisationId.map { "organisation_id = \(bind: $0)" }
        let filters = [organisation, keywords].compactMap { $0 }
        return try await page(
            from: "api_keys", where: filters.isEmpty ? nil : filters.joined(separator: " AND "),
            orderBy: "created_at, id", request, decode: Self.apiKey(from:)
        )
    }

    public func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "an API key with this hash exists") { database in
            let updated = try await database.raw("""
                UPDATE api_keys SET name = \(bind: key.name), description = \(bind: key.description),
                    scopes = \(bind: key.scopes.jsonText), expires_at = \(bind: key.expiresAt?.epochMilliseconds),
                    disabled = \(bind: key.disabled), updated_at = \(bind: key.updatedAt.epochMilliseconds)
                WHERE id = \(bind: key.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("API key '\(key.id)'") }
        }
    }

    public func deleteAPIKey(id: String, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "API key in use") { database in
            let deleted = try await database.raw("DELETE FROM api_keys WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("API key '\(id)'") }
        }
    }

    /// Batched: one UPDATE per 500 keys (``recordLastUse(in:_:)``).
    public func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws {
        try await recordLastUse(in: .apiKeys, lastUsed)
    }

    static func apiKey(from row: any SQLRow) throws -> APIKey {
        APIKey(
            id: try row.decode(column: "id", as: String.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            keyHash: try row.decode(column: "key_hash", as: String.self),
            keyPrefix: try row.decode(column: "key_prefix", as: String.self),
            applicationId: try row.decode(column: "application_id", as: String?.self),
            userId: try row.decode(column: "user_id", as: String?.self),
            scopes: try row.stringArray("scopes"),
            expiresAt: try row.decode(column: "expires_at", as: Int?.self).map(Date.init(epochMilliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int?.self).map(Date.init(epochMilliseconds:)),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
