import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertUser(_ user: User, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "the username '\(user.username)' is taken") { database in
            let organisation = try await database.raw("SELECT id FROM organisations WHERE id = \(bind: user.organisationId)").first()
            guard organisation != nil else { throw DomainError.notFound("organisation '\(user.organisationId)'") }
            try await database.raw("""
                INSERT INTO users (id, organisation_id, username, password_hash, api_user, disabled, units, created_at, updated_at)
                VALUES (\(bind: user.id), \(bind: user.organisationId), \(bind: user.username), \(bind: user.passwordHash),
                        \(bind: user.apiUser), \(bind: user.disabled), \(bind: user.units.jsonText),
                        \(bind: user.createdAt.epochMilliseconds), \(bind: user.updatedAt.epochMilliseconds))
                """).run()
        }
    }

    public func user(id: String) async throws -> User? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.user(from:))
        }
    }

    public func user(organisationId: String, username: String) async throws -> User? {
        try await executor.read { database in
            try await database.raw(
                "SELECT * FROM users WHERE organisation_id = \(bind: organisationId) AND username = \(bind: username)"
            ).first().map(Self.user(from:))
        }
    }

    public func apiUser(username: String) async throws -> User? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM users WHERE username = \(bind: username) AND api_user = \(bind: true)")
                .first().map(Self.user(from:))
        }
    }

    public func users(organisationId: String?, _ request: PageRequest) async throws -> Page<User> {
        let keywords = Self.keywordFilter(request.keywords, columns: ["username"])
        let organisation: SQLQueryString? = organisationId.map { "organisation_id = \(bind: $0)" }
        let filters = [organisation, keywords].compactMap { $0 }
        return try await page(
            from: "users", where: filters.isEmpty ? nil : filters.joined(separator: " AND "),
            orderBy: "created_at, id", request, decode: Self.user(from:)
        )
    }

    public func updateUser(_ user: User, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "the username '\(user.username)' is taken") { database in
            let updated = try await database.raw("""
                UPDATE users SET username = \(bind: user.username), password_hash = \(bind: user.passwordHash),
                    api_user = \(bind: user.apiUser), disabled = \(bind: user.disabled), units = \(bind: user.units.jsonText),
                    updated_at = \(bind: user.updatedAt.epochMilliseconds)
                WHERE id = \(bind: user.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("user '\(user.id)'") }
        }
    }

    public func deleteUser(id: String, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "user in use") { database in
            try await database.raw("DELETE FROM refresh_tokens WHERE user_id = \(bind: id)").run()
            try await database.raw("DELETE FROM api_keys WHERE user_id = \(bind: id)").run()
            try await database.raw("DELETE FROM consumer_credentials WHERE user_id = \(bind: id)").run()
            let deleted = try await database.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("user '\(id)'") }
        }
    }

    static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            username: try row.decode(column: "username", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            apiUser: try row.decode(column: "api_user", as: Bool.self),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            units: try row.stringArray("units"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
