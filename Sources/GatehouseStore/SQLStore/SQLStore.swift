import Foundation
import GatehouseCore
import SQLKit

/// The ``Store`` over SQL, for SQLite and PostgreSQL alike: every statement is built from bound
/// interpolation (`\(bind: value)`), never by concatenating values into SQL.
public struct SQLStore: Store {
    let executor: any SQLExecutor

    init(executor: any SQLExecutor) {
        self.executor = executor
    }

    public var dialect: SQLDialectKind { executor.dialect }

    /// Within 1.5 s, so `/readyz` answers within 2 s either way (SPEC §2).
    public func ping() async throws {
        try await DatabaseDeadline.$current.withValue(.milliseconds(1500)) {
            try await executor.read { database in _ = try await database.raw("SELECT 1 AS one").all() }
        }
    }

    /// PostgreSQL is shared by instances, each caching what the others change: its change feed
    /// must vouch for their caches (``ChangeFeedTrust``).
    public var changeFeedNeedsVouching: Bool { executor.dialect == .postgres }

    public func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        try await executor.listenForChanges(handler)
    }

    public func announce(_ message: String) async throws {
        let dialect = executor.dialect
        guard dialect == .postgres else { return }
        try await executor.withDatabase { database in try await Self.notify(message, on: database, dialect: dialect) }
    }

    /// Sends `payload` to every instance's change listener on PostgreSQL's change channel: inside
    /// a transaction, delivered when (and only if) it commits; outside one, at once. Nothing on
    /// SQLite, which has one instance.
    static func notify(_ payload: String, on database: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await database.raw("SELECT pg_notify(\(bind: PostgresExecutor.changeChannel), \(bind: payload))").run()
    }

    public func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data {
        try await executor.transaction { database in
            try await database.raw("""
                INSERT INTO settings (name, value) VALUES (\(bind: name), \(bind: value.base64EncodedString()))
                ON CONFLICT (name) DO NOTHING
                """).run()
            let row = try await database.raw("SELECT value FROM settings WHERE name = \(bind: name)").first()
            guard let text = try row?.decode(column: "value", as: String.self), let data = Data(base64Encoded: text) else {
                throw SQLStoreError.corruptRow("settings.\(name)")
            }
            return data
        }
    }

    /// Runs `body` in a transaction that also writes `audit`; a duplicate key becomes `conflict`.
    func change<T: Sendable>(
        audit: AuditEvent, conflict: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            let dialect = executor.dialect
            return try await executor.transaction { database in
                let result = try await body(database)
                try await Self.insert(audit, on: database)
                try await Self.notify(audit.targetType, on: database, dialect: dialect)
                return result
            }
        } catch let error where executor.isUniqueViolation(error) {
            throw DomainError.conflict(conflict)
        }
    }

    /// One page of `SELECT * FROM table [WHERE filter] ORDER BY order` with its total count.
    func page<Item: Sendable>(
        from table: String, where filter: SQLQueryString?, orderBy order: String, _ request: PageRequest,
        decode: @escaping @Sendable (any SQLRow) throws -> Item
    ) async throws -> Page<Item> {
        let whereClause = filter.map { " WHERE " + $0 } ?? ""
        return try await executor.read { database in
            let count = try await database.raw("SELECT COUNT(*) AS total FROM \(unsafeRaw: table)" + whereClause).first()
            let total = try count?.decode(column: "total", as: Int.self) ?? 0
            let rows = try await database.raw(
                "SELECT * FROM \(unsafeRaw: table)" + whereClause
                    + " ORDER BY \(unsafeRaw: order) LIMIT \(bind: request.pageSize) OFFSET \(bind: request.offset)"
            ).all()
            return Page(items: try rows.map(decode), request: request, total: total)
        }
    }

    /// `LOWER(column) LIKE '%keywords%'` over any of `columns`, with LIKE's wildcards escaped.
    static func keywordFilter(_ keywords: String?, columns: [String]) -> SQLQueryString? {
        guard let keywords else { return nil }
        let escaped = keywords.lowercased()
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        let pattern = "%\(escaped)%"
        let clauses = columns.map { column -> SQLQueryString in "LOWER(\(unsafeRaw: column)) LIKE \(bind: pattern) ESCAPE '\\'" }
        return "(" + clauses.joined(separator: " OR ") + ")"
    }
}

enum SQLStoreError: Error, CustomStringConvertible {
    case corruptRow(String)

    var description: String {
        switch self {
        case .corruptRow(let what): "corrupt row in \(what)"
        }
    }
}

extension SQLRow {
    func date(_ column: String) throws -> Date {
        Date(epochMilliseconds: try decode(column: column, as: Int.self))
    }

    func stringArray(_ column: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(try decode(column: column, as: String.self).utf8))
    }
}

extension Array where Element == String {
    var jsonText: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
