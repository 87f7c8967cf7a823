import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    /// A token joining a family that was revoked meanwhile is born revoked.
    public func insertRefreshToken(_ token: RefreshToken) async throws {
        try await executor.withDatabase { database in
            try await database.raw("""
                INSERT INTO refresh_tokens (\(unsafeRaw: Self.columns))
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
        try await executor.read { database in
            try await database.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first().map(Self.refreshToken(from:))
        }
    }

    public func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption {
        let statement = Self.rotateStatement(hash: hash, applicationId: applicationId, now: now, successor: successor, dialect: dialect)
        let rows = try await executor.rows(of: statement, repeating: RefreshTokenRotation.self)
        // SQLite answers the successor's row too; the consumed one is the row with `hash`, and
        // only it is decoded.
        for row in rows where try row.decode(column: "token_hash", as: String.self) == hash {
            return .consumed(try Self.refreshToken(from: row))
        }
        // Nothing matched: unknown, another application's, or not usable. Only the last may be a
        // reuse, and only the token's own application may set off its family's revocation.
        guard let token = try await refreshToken(hash: hash), token.applicationId == applicationId else { return .invalid }
        return try await revokeFamilyIfReused(token)
    }

    /// The statement that consumes the token with `hash` when it belongs to `applicationId` and is
    /// usable at `now` (not consumed, revoked or expired: ``RefreshToken/isUsable(at:)``), stores
    /// its successor, derived from the consumed row as ``RefreshTokenSuccessor/record(after:scopes:)``
    /// derives it, and answers the consumed row. It answers no row when it consumed nothing. One
    /// round trip, where reading the token first took two.
    ///
    /// - PostgreSQL: `UPDATE … RETURNING` in a `WITH`, whose result feeds the `INSERT` of the
    ///   successor. A concurrent `UPDATE` of the same row waits for this one to commit, then
    ///   re-checks its `WHERE` against the new row version (READ COMMITTED): it no longer matches.
    /// - SQLite, which has no `UPDATE` in `WITH`: an `INSERT … SELECT` of two rows, both selected
    ///   only if the token is usable: the token's own row, which collides with itself on
    ///   `token_hash` so that `ON CONFLICT … DO UPDATE` consumes it, and the successor. SQLite
    ///   selects all rows before inserting any when a statement reads the table it inserts into,
    ///   and runs a writing statement under its write lock: nothing writes between check and
    ///   update. `RETURNING` answers both rows.
    ///
    /// It names its columns rather than `*`: PostgreSQL runs it as a prepared statement
    /// (``RefreshTokenRotation``), and a prepared statement whose result columns change under it
    /// (a migration adding a column, while an older instance still runs) fails with "cached plan
    /// must not change result type".
    ///
    /// The successor needs no "born revoked" check (``insertRefreshToken(_:)``): a family is revoked
    /// whole, so its usable token shows it is not.
    static func rotateStatement(
        hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor, dialect: SQLDialectKind
    ) -> SQLQueryString {
        let usable: SQLQueryString = "\(usable(hash: hash, now: now)) AND application_id = \(bind: applicationId)"
        let least: SQLQueryString = dialect == .postgres ? "LEAST" : "MIN"
        let next: SQLQueryString = """
            \(bind: successor.id), \(bind: successor.tokenHash), family_id, generation + 1, application_id, user_id, \
            organisation_id, scopes, \(bind: false), \(bind: false), \(bind: successor.createdAt.epochMilliseconds), \
            \(least)(\(bind: successor.expiresAt.epochMilliseconds), family_expires_at), family_expires_at
            """
        switch dialect {
        case .postgres:
            return """
                WITH consumed AS (UPDATE refresh_tokens SET consumed = \(bind: true) WHERE \(usable) RETURNING \(unsafeRaw: columns)),
                next AS (INSERT INTO refresh_tokens (\(unsafeRaw: columns)) SELECT \(next) FROM consumed)
                SELECT \(unsafeRaw: columns) FROM consumed
                """
        case .sqlite:
            return """
                INSERT INTO refresh_tokens (\(unsafeRaw: columns))
                SELECT \(unsafeRaw: columns) FROM refresh_tokens WHERE \(usable)
                UNION ALL
                SELECT \(next) FROM refresh_tokens WHERE \(usable)
                ON CONFLICT (token_hash) DO UPDATE SET consumed = \(bind: true)
                RETURNING \(unsafeRaw: columns)
                """
        }
    }

    public func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws {
        try await executor.withDatabase { database in
            try await database.raw("UPDATE refresh_tokens SET scopes = \(bind: scopes.jsonText) WHERE token_hash = \(bind: hash)").run()
        }
    }

    static let columns = """
        id, token_hash, family_id, generation, application_id, user_id, organisation_id, scopes, \
        consumed, revoked, created_at, expires_at, family_expires_at
        """

    /// Whether the token with `hash` may be exchanged at `now`, as a `WHERE` condition.
    static func usable(hash: String, now: Date) -> SQLQueryString {
        let nowMs = now.epochMilliseconds
        return """
            token_hash = \(bind: hash) AND consumed = \(bind: false) AND revoked = \(bind: false) \
            AND expires_at > \(bind: nowMs) AND family_expires_at > \(bind: nowMs)
            """
    }

    /// After a rotation that did not match: `token` is reused if it is consumed and not yet
    /// revoked, and then RFC 9700 §4.14.2 applies: "If a refresh token is compromised and
    /// subsequently used by both the attacker and the legitimate client, one of them will present
    /// an invalidated refresh token, which will inform the authorization server of the breach. The
    /// authorization server cannot determine which party submitted the invalid refresh token, but
    /// it will revoke the active refresh token." Otherwise (revoked, expired) it is invalid. The
    /// rotation's verdict still holds: a token that was not usable never becomes usable again.
    func revokeFamilyIfReused(_ token: RefreshToken) async throws -> RefreshTokenConsumption {
        let rows = try await executor.withDatabase { database in
            try await database.raw("""
                UPDATE refresh_tokens SET revoked = \(bind: true)
                WHERE family_id = \(bind: token.familyId) AND revoked = \(bind: false) AND EXISTS (
                    SELECT 1 FROM refresh_tokens
                    WHERE token_hash = \(bind: token.tokenHash) AND consumed = \(bind: true) AND revoked = \(bind: false))
                RETURNING id
                """).all()
        }
        guard !rows.isEmpty else { return .invalid }
        // On PostgreSQL (READ COMMITTED) the statement above may have waited on the row lock of
        // the family's live token while a rotation of it committed: it then revoked that token,
        // but the successor the rotation inserted was not in its snapshot. Each new statement
        // sees what committed before it began, so repeat until one finds nothing left to revoke.
        while try await revokeLiveTokens(familyId: token.familyId) {}
        var reused = token
        reused.consumed = true
        reused.revoked = true
        return .reused(reused)
    }

    /// Revokes the family's tokens not revoked yet; whether there were any.
    private func revokeLiveTokens(familyId: String) async throws -> Bool {
        let rows = try await executor.withDatabase { database in
            try await database.raw("""
                UPDATE refresh_tokens SET revoked = \(bind: true)
                WHERE family_id = \(bind: familyId) AND revoked = \(bind: false)
                RETURNING id
                """).all()
        }
        return !rows.isEmpty
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

/// The rotation's statement, prepared once per PostgreSQL connection.
enum RefreshTokenRotation: RepeatedStatement {
    static let name = "gatehouse_rotate_refresh_token"
    static let postgresText = textForPostgres(SQLStore.rotateStatement(
        hash: "", applicationId: "", now: Date(timeIntervalSince1970: 0),
        successor: RefreshTokenSuccessor(id: "", tokenHash: "", createdAt: Date(timeIntervalSince1970: 0), expiresAt: Date(timeIntervalSince1970: 0)),
        dialect: .postgres
    ))
}
