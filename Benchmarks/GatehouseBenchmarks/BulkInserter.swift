import Logging
import SQLiteKit

/// One SQLite connection of its own for loading many rows fast: multi-row `INSERT`s of bound
/// values, many rows per transaction, no fsync.
///
/// Table and column names come from this target's constants; every value is bound (`?`), never
/// spliced into the SQL text.
struct BulkInserter {
    let connection: SQLiteConnection
    /// Rows per `INSERT` statement. SQLiteNIO's SQLite allows 250,000 bound values per statement.
    var rowsPerStatement = 1000

    static func open(path: String, logger: Logger) async throws -> BulkInserter {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        // The server put the file in WAL mode; keep it. A generator may lose its work in a crash,
        // so skip fsync, and give SQLite room to keep the indexes' B-trees in memory.
        for pragma in [
            "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -1048576", "PRAGMA temp_store = MEMORY",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return BulkInserter(connection: connection)
    }

    /// Inserts `rows` (each in `columns` order) into `table` in one transaction.
    func insert(into table: String, columns: [String], rows: [[SQLiteData]]) async throws {
        _ = try await connection.query("BEGIN IMMEDIATE", [])
        do {
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
                let sql = Self.insertStatement(into: table, columns: columns, rowCount: chunk.count)
                _ = try await connection.query(sql, Array(chunk.joined()))
                start += chunk.count
            }
            _ = try await connection.query("COMMIT", [])
        } catch {
            _ = try? await connection.query("ROLLBACK", [])
            throw error
        }
    }

    /// The single integer the query answers (`SELECT COUNT(*) …`).
    func integer(_ sql: String, _ binds: [SQLiteData] = []) async throws -> Int {
        let rows = try await connection.query(sql, binds)
        return rows.first?.columns.first?.data.integer ?? 0
    }

    /// Folds the write-ahead log back into the database file and closes the connection.
    func close() async throws {
        _ = try await connection.query("PRAGMA wal_checkpoint(TRUNCATE)", [])
        try await connection.close()
    }

    static func insertStatement(into table: String, columns: [String], rowCount: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rowCount).joined(separator: ", ")
    }
}
