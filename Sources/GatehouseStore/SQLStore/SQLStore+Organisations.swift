import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "an organisation named '\(organisation.name)' exists") { database in
            try await database.raw("""
                INSERT INTO organisations (id, name, max_applications, created_at)
                VALUES (\(bind: organisation.id), \(bind: organisation.name), \(bind: organisation.maxApplications),
                        \(bind: organisation.createdAt.epochMilliseconds))
                """).run()
        }
    }

    public func organisation(id: String) async throws -> Organisation? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM organisations WHERE id = \(bind: id)").first().map(Self.organisation(from:))
        }
    }

    public func organisation(name: String) async throws -> Organisation? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM organisations WHERE name = \(bind: name)").first().map(Self.organisation(from:))
        }
    }

    public func organisations(_ request: PageRequest) async throws -> Page<Organisation> {
        try await page(
            from: "organisations", where: Self.keywordFilter(request.keywords, columns: ["name"]),
            orderBy: "created_at, id", request, decode: Self.organisation(from:)
        )
    }

    public func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "an organisation named '\(organisation.name)' exists") { database in
            let updated = try await database.raw("""
                UPDATE organisations SET name = \(bind: organisation.name), max_applications = \(bind: organisation.maxApplications)
                WHERE id = \(bind: organisation.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("organisation '\(organisation.id)'") }
        }
    }

    public func deleteOrganisation(id: String, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "organisation in use") { database in
            let count = try await database.raw("""
                SELECT (SELECT COUNT(*) FROM applications WHERE organisation_id = \(bind: id))
                     + (SELECT COUNT(*) FROM users WHERE organisation_id = \(bind: id)) AS total
                """).first()
            guard try count?.decode(column: "total", as: Int.self) == 0 else {
                throw DomainError.conflict("the organisation still has applications or users; delete them first")
            }
            let deleted = try await database.raw("DELETE FROM organisations WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("organisation '\(id)'") }
        }
    }

    static func organisation(from row: any SQLRow) throws -> Organisation {
        Organisation(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            maxApplications: try row.decode(column: "max_applications", as: Int?.self),
            createdAt: try row.date("created_at")
        )
    }
}
