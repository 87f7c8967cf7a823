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

    /// One statement, in one round trip, consumes the token if it is still usable and stores its
    /// `replacement` (``consumeStatement(hash:now:replacement:dialect:)``). Concurrent presenters
    /// serialise on the row: the first consumes it; each later one finds it consumed and, in a
    /// second statement, revokes the family, the replacement included (``revokeFamilyIfReused(_:)``).
    ///
    /// Of a row only `consumed` and `revoked` ever change, and only from `false` to `true`: so when
    /// the statement matched, the row is `token` as read, now consumed, and need not be returned.
    public func consumeRefreshToken(_ token: RefreshToken, now: Date, replacement: RefreshToken?) async throws -> RefreshTokenConsumption {
        let statement = Self.consumeStatement(hash: token.tokenHash, now: now, replacement: replacement, dialect: dialect)
        let rows = try await executor.withDatabase { database in try await database.raw(statement).all() }
        guard rows.isEmpty else {
            var consumed = token
            consumed.consumed = true
            return .consumed(consumed)
        }
        return try await revokeFamilyIfReused(token)
    }

    /// The statement that consumes the token with `hash` when it is usable at `now` (not consumed,
    /// revoked or expired: ``RefreshToken/isUsable(at:)``) and then stores `replacement`; it
    /// answers rows only when it consumed.
    ///
    /// - PostgreSQL: `UPDATE … RETURNING` in a `WITH`, whose result gates the `INSERT` of the
    ///   replacement. A concurrent `UPDATE` of the same row waits for this one to commit, then
    ///   re-checks its `WHERE` against the new row version (READ COMMITTED): it no longer matches.
    /// - SQLite, which has no `UPDATE` in `WITH`: an `INSERT … SELECT` of two rows, both selected
    ///   only if the token is usable: the token's own row, which collides with itself on
    ///   `token_hash` so that `ON CONFLICT … DO UPDATE` consumes it, and the replacement. SQLite
    ///   selects all rows before inserting any when a statement reads the table it inserts into,
    ///   and runs a writing statement under its write lock: nothing writes between check and update.
    ///
    /// The replacement needs no "born revoked" check (``insertRefreshToken(_:)``): a family is revoked
    /// whole, so its usable token shows it is not.
    static func consumeStatement(hash: String, now: Date, replacement: RefreshToken?, dialect: SQLDialectKind) -> SQLQueryString {
        let usable = usable(hash: hash, now: now)
        guard let replacement else {
            return "UPDATE refresh_tokens SET consumed = \(bind: true) WHERE \(usable) RETURNING id"
        }
        switch dialect {
        case .postgres:
            return """
                WITH consumed AS (UPDATE refresh_tokens SET consumed = \(bind: true) WHERE \(usable) RETURNING id),
                next AS (INSERT INTO refresh_tokens (\(unsafeRaw: columns)) SELECT \(values(of: replacement)) FROM consumed)
                SELECT id FROM consumed
                """
        case .sqlite:
            return """
                INSERT INTO refresh_tokens (\(unsafeRaw: columns))
                SELECT \(unsafeRaw: columns) FROM refresh_tokens WHERE \(usable)
                UNION ALL
                SELECT \(values(of: replacement)) FROM refresh_tokens WHERE \(usable)
                ON CONFLICT (token_hash) DO UPDATE SET consumed = \(bind: true)
                RETURNING id
                """
        }
    }

    public func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption {
        let statement = Self.rotateStatement(hash: hash, applicationId: applicationId, now: now, successor: successor, dialect: dialect)
        let rows = try await executor.withDatabase { database in try await database.raw(statement).all() }
        // SQLite answers the successor's row too; the consumed one is the row with `hash`.
        for row in rows {
            let token = try Self.refreshToken(from: row)
            if token.tokenHash == hash { return .consumed(token) }
        }
        // Nothing matched: unknown, another application's, or not usable. Only the last may be a
        // reuse, and only the token's own application may set off its family's revocation.
        guard let token = try await refreshToken(hash: hash), token.applicationId == applicationId else { return .invalid }
        return try await revokeFamilyIfReused(token)
    }

    /// ``consumeStatement(hash:now:replacement:dialect:)`` with the replacement derived from the
    /// consumed row (``RefreshTokenSuccessor/record(after:scopes:)``), and the row answered: one
    /// round trip, where reading the token first took two.
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
                WITH consumed AS (UPDATE refresh_tokens SET consumed = \(bind: true) WHERE \(usable) RETURNING *),
                next AS (INSERT INTO refresh_tokens (\(unsafeRaw: columns)) SELECT \(next) FROM consumed)
                SELECT * FROM consumed
                """
        case .sqlite:
            return """
                INSERT INTO refresh_tokens (\(unsafeRaw: columns))
                SELECT \(unsafeRaw: columns) FROM refresh_tokens WHERE \(usable)
                UNION ALL
                SELECT \(next) FROM refresh_tokens WHERE \(usable)
                ON CONFLICT (token_hash) DO UPDATE SET consumed = \(bind: true)
                RETURNING *
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

    static func values(of token: RefreshToken) -> SQLQueryString {
        """
        \(bind: token.id), \(bind: token.tokenHash), \(bind: token.familyId), \(bind: token.generation), \
        \(bind: token.applicationId), \(bind: token.userId), \(bind: token.organisationId), \(bind: token.scopes.jsonText), \
        \(bind: token.consumed), \(bind: token.revoked), \(bind: token.createdAt.epochMilliseconds), \
        \(bind: token.expiresAt.epochMilliseconds), \(bind: token.familyExpiresAt.epochMilliseconds)
        """
    }

    /// Whether the token with `hash` may be exchanged at `now`, as a `WHERE` condition.
    static func usable(hash: String, now: Date) -> SQLQueryString {
        let nowMs = now.epochMilliseconds
        return """
            token_hash = \(bind: hash) AND consumed = \(bind: false) AND revoked = \(bind: false) \
            AND expires_at > \(bind: nowMs) AND family_expires_at > \(bind: nowMs)
            """
    }

    /// After a consume that did not match: `token` is reused if it is consumed and not yet
    /// revoked, and then RFC 9700 §4.14.2 applies: "If a refresh token is compromised and
    /// subsequently used by both the attacker and the legitimate client, one of them will present
    /// an invalidated refresh token, which will inform the authorization server of the breach. The
    /// authorization server cannot determine which party submitted the invalid refresh token, but
    /// it will revoke the active refresh token." Otherwise (revoked, expired) it is invalid. The
    /// consume's verdict still holds: a token that was not usable never becomes usable again.
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
        var reused = token
        reused.consumed = true
        reused.revoked = true
        return .reused(reused)
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
