import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// A statement a hot path runs over and over with the same text, only its binds differing:
/// PostgreSQL prepares it once per connection under ``name`` and from then on skips parsing and
/// planning it (``SQLExecutor/rows(of:repeating:)``). SQLite runs it as any other statement.
protocol RepeatedStatement {
    /// PostgreSQL's name for the prepared statement; unique among repeated statements.
    static var name: String { get }
    /// The statement's text as PostgreSQL receives it, with `$1`, `$2`… for the binds: made once,
    /// with ``textForPostgres(_:)``, from the statement with any binds.
    static var postgresText: String { get }
}

extension RepeatedStatement {
    static func textForPostgres(_ template: SQLQueryString) -> String {
        var serializer = SQLSerializer(database: PostgresTextOnly())
        template.serialize(to: &serializer)
        return serializer.sql
    }
}

/// A database that only knows PostgreSQL's dialect: enough to serialize a statement's text.
private struct PostgresTextOnly: SQLDatabase {
    var logger: Logger { Logger(label: "gatehouse.sql-text") }
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { PostgresDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFailedFuture(PostgresTextOnlyError())
    }
}

private struct PostgresTextOnlyError: Error, CustomStringConvertible {
    var description: String { "a statement's text was serialized for PostgreSQL; it cannot run here" }
}
