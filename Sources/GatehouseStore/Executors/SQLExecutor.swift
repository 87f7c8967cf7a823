import SQLKit

/// The SQL dialect a store speaks; migrations and a few clauses differ per dialect.
public enum SQLDialectKind: String, Sendable {
    case sqlite
    case postgres
}

/// Runs SQL against one database, alone or in a transaction.
///
/// Implementations decide how connections are shared: SQLite serialises all work on one
/// connection; PostgreSQL borrows from a pool.
protocol SQLExecutor: Sendable {
    var dialect: SQLDialectKind { get }

    /// Runs `body` with a database handle; statements run one at a time.
    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body`, which only reads, with a database handle that may be another connection
    /// than the writer's (SQLite's readers); it sees everything committed before it began.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// The rows of `statement`, whose text is always `Statement`'s: PostgreSQL runs it as a
    /// prepared statement (see ``RepeatedStatement``).
    func rows<Statement: RepeatedStatement>(of statement: SQLQueryString, repeating: Statement.Type) async throws -> [any SQLRow]

    /// Whether `error` is the database refusing a duplicate of a unique key.
    func isUniqueViolation(_ error: any Error) -> Bool

    /// Whether `error` means the database cannot work now (unreachable, a lost connection, a
    /// read-only or full disk, a lock held too long), as opposed to refusing this statement.
    func isUnavailable(_ error: any Error) -> Bool

    /// See ``Store/listenForChanges(_:)``.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws

    /// Ends all connections.
    func close() async throws
}

extension SQLExecutor {
    func rows<Statement: RepeatedStatement>(of statement: SQLQueryString, repeating: Statement.Type) async throws -> [any SQLRow] {
        try await withDatabase { database in try await database.raw(statement).all() }
    }
}
