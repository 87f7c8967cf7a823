import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    /// A token joining a family that was revoked meanwhile (a concurrent reuse) is born revoked,
    /// whichever of the two statements runs first.
    public func insertRefreshToken(_ token: RefreshToken) async throws {
        try await executor.withDatabase { database in
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
    }

    public func refreshToken(hash: String) async throws -> RefreshToken? {
        try await executor.withDatabase { database in
            try await database.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first().map(Self.refreshToken(from:))
        }
    }

    /// One conditional `UPDATE … RETURNING`: the database, not the caller, decides which of
    /// concurrent presenters wins, on SQLite and PostgreSQL alike.
    public func consumeRefreshToken(hash: String, now: Date) async throws -> RefreshTokenConsumption {
        let nowMs = now.epochMilliseconds
        return try await executor.transaction { database in
            let consumed = try await database.raw("""
                UPDATE refresh_tokens SET consumed = \(bind: true)
                WHERE token_hash = \(bind: hash) AND consumed = \(bind: false) AND revoked = \(bind: false)
                    AND expires_at > \(bind: nowMs) AND family_expires_at > \(bind: nowMs)
                RETURNING *
                """).first()
            if let consumed { return .consumed(try Self.refreshToken(from: consumed)) }
            guard let row = try await database.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first() else {
                return .invalid
            }
            let token = try Self.refreshToken(from: row)
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
