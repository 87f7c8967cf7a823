import Foundation
import SQLKit

/// Applies pending migrations, each in its own transaction, recording them in `schema_migrations`.
///
/// Idempotent, and safe when several instances start at once: PostgreSQL takes an advisory lock,
/// SQLite's `BEGIN IMMEDIATE` takes the write lock.
struct Migrator {
    let executor: any SQLExecutor
    let migrations: [Migration]

    /// Applies what is missing; returns the versions applied now.
    @discardableResult
    func migrate(now: Date = Date()) async throws -> [Int] {
        let types = ColumnTypes(executor.dialect)
        try await executor.withDatabase { database in
            try await database.raw(SQLQueryString("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version \(types.integer) PRIMARY KEY, name TEXT NOT NULL, applied_at \(types.integer) NOT NULL)
                """)).run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let dialect = executor.dialect
            let didApply = try await executor.transaction { database in
                if dialect == .postgres {
                    try await database.raw("SELECT pg_advisory_xact_lock(72430815)").run()
                }
                let existing = try await database.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                guard existing == nil else { return false }
                for statement in migration.statements(types) {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await database.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now.epochMilliseconds))
                    """).run()
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }
}

extension Date {
    /// Whole milliseconds, truncated as the API's whole-second dates are (rounding up could move
    /// a date to the next second between a create answer and a later read); the tiny addend
    /// keeps a binary fraction like .123 from reading as .122999….
    var epochMilliseconds: Int { Int((timeIntervalSince1970 * 1000 + 1e-4).rounded(.down)) }

    init(epochMilliseconds: Int) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}
