import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    public func revokeAccessToken(jti: String, expiresAt: Date) async throws {
        let dialect = executor.dialect
        // One transaction: PostgreSQL delivers the notification when (and only if) the row commits.
        try await executor.transaction { database in
            try await database.raw("""
                INSERT INTO revoked_tokens (jti, expires_at) VALUES (\(bind: jti), \(bind: expiresAt.epochMilliseconds))
                ON CONFLICT (jti) DO NOTHING
                """).run()
            // Every instance drops its cached "not revoked" answers (CachedStore) at once.
            try await Self.notify("revocation", on: database, dialect: dialect)
        }
    }

    public func isAccessTokenRevoked(jti: String) async throws -> Bool {
        try await executor.read { database in
            try await database.raw("SELECT jti FROM revoked_tokens WHERE jti = \(bind: jti)").first() != nil
        }
    }

    public func prune(now: Date) async throws -> Int {
        let nowMs = now.epochMilliseconds
        return try await executor.transaction { database in
            let tokens = try await database.raw("""
                DELETE FROM refresh_tokens WHERE expires_at <= \(bind: nowMs) OR family_expires_at <= \(bind: nowMs) RETURNING id
                """).all().count
            let revocations = try await database.raw("DELETE FROM revoked_tokens WHERE expires_at <= \(bind: nowMs) RETURNING jti").all().count
            let keys = try await database.raw("""
                UPDATE signing_keys SET state = \(bind: SigningKeyState.retired.rawValue)
                WHERE state = \(bind: SigningKeyState.published.rawValue) AND retire_after <= \(bind: nowMs) RETURNING kid
                """).all().count
            return tokens + revocations + keys
        }
    }
}
