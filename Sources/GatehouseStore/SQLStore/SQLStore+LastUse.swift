import Foundation
import GatehouseCore
import SQLKit

/// A table whose rows carry a batched `last_used_at`.
enum LastUseTable: String {
    case apiKeys = "api_keys"
    case adminKeys = "admin_keys"
}

extension SQLStore {
    /// One UPDATE per 500 keys (`UPDATE … FROM (VALUES …)`, SQLite ≥ 3.33 and PostgreSQL), not
    /// one per key: a flush of 10,000 last-use dates holds the writer for a few statements. A
    /// date never moves backwards.
    func recordLastUse(in table: LastUseTable, _ lastUsed: [String: Date]) async throws {
        guard !lastUsed.isEmpty else { return }
        let entries = Array(lastUsed)
        let name = table.rawValue
        try await executor.transaction { database in
            for start in stride(from: 0, to: entries.count, by: 500) {
                let rows = entries[start..<min(start + 500, entries.count)].map { id, date -> SQLQueryString in
                    "(\(bind: id), \(bind: date.epochMilliseconds))"
                }
                try await database.raw("""
                    UPDATE \(unsafeRaw: name) SET last_used_at = used.column2
                    FROM (VALUES \(rows.joined(separator: ", "))) AS used
                    WHERE \(unsafeRaw: name).id = used.column1
                        AND (\(unsafeRaw: name).last_used_at IS NULL OR \(unsafeRaw: name).last_used_at < used.column2)
                    """).run()
            }
        }
    }
}
