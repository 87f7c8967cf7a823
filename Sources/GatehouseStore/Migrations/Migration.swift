/// One versioned schema change, written once with the column types each dialect spells its own way.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: @Sendable (ColumnTypes) -> [String]
}

/// Column types per dialect: SQLite keeps integers and booleans as INTEGER; PostgreSQL has
/// BIGINT and BOOLEAN. Text, including JSON arrays and hex hashes, is TEXT on both.
struct ColumnTypes: Sendable {
    let integer: String
    let boolean: String
    /// The literal `false` of ``boolean``.
    let falseLiteral: String

    init(_ dialect: SQLDialectKind) {
        switch dialect {
        case .sqlite: (integer, boolean, falseLiteral) = ("INTEGER", "INTEGER", "0")
        case .postgres: (integer, boolean, falseLiteral) = ("BIGINT", "BOOLEAN", "FALSE")
        }
    }
}
