import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "the identifier '\(credential.identifier ?? "")' is taken") { database in
            let owner = try await database.raw(
                "SELECT id FROM users WHERE id = \(bind: credential.userId) AND organisation_id = \(bind: credential.organisationId)"
            ).first()
            guard owner != nil else { throw DomainError.notFound("user '\(credential.userId)'") }
            try await database.raw("""
                INSERT INTO consumer_credentials (id, organisation_id, user_id, kind, identifier, secret_hash, disabled, created_at)
                VALUES (\(bind: credential.id), \(bind: credential.organisationId), \(bind: credential.userId),
                        \(bind: credential.kind.rawValue), \(bind: credential.identifier), \(bind: credential.secretHash),
                        \(bind: credential.disabled), \(bind: credential.createdAt.epochMilliseconds))
                """).run()
        }
    }

    public func consumerCredential(id: String) async throws -> ConsumerCredential? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM consumer_credentials WHERE id = \(bind: id)").first().map(Self.consumerCredential(from:))
        }
    }

    public func consumerCredential(secretHash: String) async throws -> ConsumerCredential? {
        try await executor.read { database in
            try await database.raw("""
                SELECT * FROM consumer_credentials
                WHERE secret_hash = \(bind: secretHash) AND kind = \(bind: ConsumerCredential.Kind.authenticationCode.rawValue)
                """).first().map(Self.consumerCredential(from:))
        }
    }

    public func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential? {
        try await executor.read { database in
            try await database.raw(
                "SELECT * FROM consumer_credentials WHERE organisation_id = \(bind: organisationId) AND identifier = \(bind: identifier)"
            ).first().map(Self.consumerCredential(from:))
        }
    }

    public func consumerCredentials(organisationId: String?, userId: String?, _ request: PageRequest) async throws -> Page<ConsumerCredential> {
        let keywords = Self.keywordFilter(request.keywords, columns: ["identifier", "kind"])
        let organisation: SQLQueryString? = organisationId.map { "organisation_id = \(bind: $0)" }
        let user: SQLQueryString? = userId.map { "user_id = \(bind: $0)" }
        let filters = [organisation, user, keywords].compactMap { $0 }
        return try await page(
            from: "consumer_credentials", where: filters.isEmpty ? nil : filters.joined(separator: " AND "),
            orderBy: "created_at, id", request, decode: Self.consumerCredential(from:)
        )
    }

    public func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "the identifier '\(credential.identifier ?? "")' is taken") { database in
            let updated = try await database.raw("""
                UPDATE consumer_credentials SET identifier = \(bind: credential.identifier), secret_hash = \(bind: credential.secretHash),
                    disabled = \(bind: credential.disabled)
                WHERE id = \(bind: credential.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("consumer credential '\(credential.id)'") }
        }
    }

    public func deleteConsumerCredential(id: String, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "consumer credential in use") { database in
            let deleted = try await database.raw("DELETE FROM consumer_credentials WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("consumer credential '\(id)'") }
        }
    }

    static func consumerCredential(from row: any SQLRow) throws -> ConsumerCredential {
        guard let kind = ConsumerCredential.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else {
            throw SQLStoreError.corruptRow("consumer_credentials")
        }
        return ConsumerCredential(
            id: try row.decode(column: "id", as: String.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            userId: try row.decode(column: "user_id", as: String.self),
            kind: kind,
            identifier: try row.decode(column: "identifier", as: String?.self),
            secretHash: try row.decode(column: "secret_hash", as: String.self),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            createdAt: try row.date("created_at")
        )
    }
}
