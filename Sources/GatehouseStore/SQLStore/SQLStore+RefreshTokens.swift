import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    /// A token joining a family that was revoked meanwhile is born revoked.
    public func insertRefreshToken(_ token: RefreshToken) async throws {
        try await executor.withDatabase { database in try await Self.insert(token, on: database) }
    }

    static func insert(_ token: RefreshToken, on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO refresh_tokens (
                id, token_hash, family_id, generation, application_id, user_id, organisation_id, scopes,
                consumed, revoked, created_at, expires_at, family_expires_at)
            SELECT
                \(bind: token.id), \(bind: token.tokenHash), \(bind: token.familyId), \(bind: token.generation),
                \(bind: token.applicationId), \(bind: token.userId), \(bind: token.organisationId), \(bind: token.scopes.jsonText),
                \(bind: token.consumed),
                CASE WHEN EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = \(bind: token.familyId) AND revoked = \(bind: true))
                    THEN \(bind: true) ELSE \(bind: token.revoked) END,
                \(bind: token.createdAt.epochMilliseconds), \(bind: token.expiresAt.epochMilliseconds),
                \(bind: token.familyExpiresAt.epochMilliseconds)
            """).run()
    }

    public func refreshToken(hash: String) async throws -> RefreshToken? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first().map(Self.refreshToken(from:))
        }
    }

    /// The presented token's row is locked first (`FOR UPDATE` on PostgreSQL; SQLite's write lock
    /// covers the whole transaction), so concurrent presenters queue on it: the first consumes it
    /// and stores the next generation before committing; each later one then sees it consumed and
    /// revokes the family, next generation included. One lock order, so no deadlocks.
    public func consumeRefreshToken(
        hash: String, now: Date, replacement: @escaping @Sendable (RefreshToken) -> RefreshToken?
    ) async throws -> RefreshTokenConsumption {
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        return try await executor.transaction { database in
            guard let row = try await database.raw(
                "SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)" + SQLQueryString(lock)
            ).first() else { return .invalid }
            var token = try Self.refreshToken(from: row)
            if token.isUsable(at: now) {
                try await database.raw("UPDATE refresh_tokens SET consumed = \(bind: true) WHERE id = \(bind: token.id)").run()
                token.consumed = true
                if let next = replacement(token) {
                    try await Self.insert(next, on: database)
                }
                return .consumed(token)
            }
            guard token.consumed, !token.revoked else { return .invalid }
            try await database.raw("UPDATE refresh_tokens SET revoked = \(bind: true) WHERE family_id = \(bind: token.familyId)").run()
            return .reused(token)
        }
    }

    public func revokeRefreshFamily(id familyId: String) async throws {
        try await executor.withDatabase { database in
            try await database.raw("UPDATE refresh_tokens SET revoked = \(bind: true) WHERE family_id = \(bind: familyId)").run()
        }
    }

    public func revokeRefreshTokens(applicationId: String) async throws {
        try await executor.withDatabase { database in
            try await database.raw("UPDATE refresh_tokens SET revoked = \(bind: true) WHERE application_id = \(bind: applicationId)").run()
        }
    }

    public func revokeRefreshTokens(userId: String) async throws {
        try await executor.withDatabase { database in
            try await database.raw("UPDATE refresh_tokens SET revoked = \(bind: true) WHERE user_id = \(bind: userId)").run()
        }
    }

    static func refreshToken(from row: any SQLRow) throws -> RefreshToken {
        RefreshToken(
            id: try row.decode(column: "id", as: String.self),
            tokenHash: try row.decode(column: "token_hash", as: String.self),
            familyId: try row.decode(column: "family_id", as: String.self),
            generation: try row.decode(column: "generation", as: Int.self),
            applicationId: try row.decode(column: "application_id", as: String.self),
            userId: try row.decode(column: "user_id", as: String?.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            scopes: try row.stringArray("scopes"),
            consumed: try row.decode(column: "consumed", as: Bool.self),
            revoked: try row.decode(column: "revoked", as: Bool.self),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            familyExpiresAt: try row.date("family_expires_at")
        )
    }
}
