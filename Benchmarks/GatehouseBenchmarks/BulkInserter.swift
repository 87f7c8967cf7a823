import Logging
import SQLiteKit

/// One SQLite connection of its own for loading many rows fast: multi-row `INSERT`s of bound
/// values, large transactions, no fsync.
///
/// Transactions must be large: rows with random ids and hashes land on random pages of every
/// index, and each commit writes every page it touched to the WAL. On 200,000 keys, one
/// transaction took 3.7 s where transactions of 10,000 rows took 10 s.
///
/// Table and column names come from this target's constants; every value is bound (`?`), never
/// spliced into the SQL text.
struct BulkInserter {
    let connection: SQLiteConnection
    /// Rows per `INSERT` statement. SQLiteNIO's SQLite allows 250,000 bound values per statement.
    var rowsPerStatement = 1000
    /// Rows after which ``insert(into:columns:rows:)`` commits.
    var rowsPerTransaction: Int
    private var uncommitted = 0
    private var inTransaction = false

    static func open(path: String, rowsPerTransaction: Int, logger: Logger) async throws -> BulkInserter {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        // The server put the file in WAL mode; keep it. A generator may lose its work in a crash,
        // so skip fsync, and give SQLite room to keep the indexes' B-trees in memory.
        for pragma in [
            "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -1048576", "PRAGMA temp_store = MEMORY",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return BulkInserter(connection: connection, rowsPerTransaction: rowsPerTransaction)
    }

    /// Inserts `rows` (each in `columns` order) into `table`, in the open transaction or a new one;
    /// commits once `rowsPerTransaction` rows are waiting.
    mutating func insert(into table: String, columns: [String], rows: [[SQLiteData]]) async throws {
        if !inTransaction {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            inTransaction = true
        }
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            let sql = Self.insertStatement(into: table, columns: columns, rowCount: chunk.count)
            _ = try await connection.query(sql, Array(chunk.joined()))
            start += chunk.count
        }
        uncommitted += rows.count
        if uncommitted >= rowsPerTransaction { try await commit() }
    }

    mutating func commit() async throws {
        guard inTransaction else { return }
        _ = try await connection.query("COMMIT", [])
        inTransaction = false
        uncommitted = 0
    }

    /// Drops the open transaction's rows, folds the write-ahead log back into the database file
    /// and closes the connection.
    func close() async throws {
        if inTransaction { _ = try? await connection.query("ROLLBACK", []) }
        _ = try await connection.query("PRAGMA wal_checkpoint(TRUNCATE)", [])
        try await connection.close()
    }

    /// The single integer the query answers (`SELECT COUNT(*) …`).
    func integer(_ sql: String, _ binds: [SQLiteData] = []) async throws -> Int {
        let rows = try await connection.query(sql, binds)
        return rows.first?.columns.first?.data.integer ?? 0
    }

    static func insertStatement(into table: String, columns: [String], rowCount: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rowCount).joined(separator: ", ")
    }
}
