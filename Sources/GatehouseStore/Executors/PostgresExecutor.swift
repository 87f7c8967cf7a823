import Foundation
import GatehouseCore
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through PostgresNIO's connection pool; several Gatehouse instances may share it.
final class PostgresExecutor: SQLExecutor {
    let dialect = SQLDialectKind.postgres
    private let client: RenewablePool

    private init(client: RenewablePool) {
        self.client = client
    }

    /// Connects once first, so an unreachable server or bad credentials fail at once with the
    /// database's own reason instead of a pool that retries forever.
    static func open(
        host: String, port: Int, username: String, password: String?, database: String, logger: Logger
    ) async throws -> PostgresExecutor {
        let probe = try await PostgresConnection.connect(
            configuration: .init(host: host, port: port, username: username, password: password, database: database, tls: .disable),
            id: 0, logger: logger
        )
        try await probe.close()
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable
        )
        configuration.options.maximumConnections = 16
        // A server that does not answer the TCP handshake fails a connection in 2 s, not 10.
        configuration.options.connectTimeout = .seconds(2)
        return PostgresExecutor(client: RenewablePool(configuration: configuration, logger: logger))
    }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection.sql()) }
    }

    /// A named prepared statement on the connection (PostgresNIO prepares it on first use there):
    /// a rotation's statement was parsed and planned afresh on every refresh.
    func rows<Statement: RepeatedStatement>(of statement: SQLQueryString, repeating: Statement.Type) async throws -> [any SQLRow] {
        try await client.withConnection { connection in
            var serializer = SQLSerializer(database: connection.sql())
            statement.serialize(to: &serializer)
            var bindings = PostgresBindings(capacity: serializer.binds.count)
            for bind in serializer.binds { try Self.append(bind, to: &bindings) }
            var rows: [any SQLRow] = []
            for try await row in try await connection.execute(Prepared<Statement>(bindings: bindings), logger: connection.logger) {
                rows.append(row.sql())
            }
            return rows
        }
    }

    private struct Prepared<Statement: RepeatedStatement>: PostgresPreparedStatement {
        typealias Row = PostgresRow
        static var name: String { Statement.name }
        static var sql: String { Statement.postgresText }
        let bindings: PostgresBindings

        func makeBindings() -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The bind types repeated statements use, encoded as PostgresKit encodes them for SQLKit.
    /// No repeated statement binds an optional, so a `nil` is refused rather than given a guessed type.
    private static func append(_ bind: any Encodable & Sendable, to bindings: inout PostgresBindings) throws {
        switch bind {
        case let value as String: bindings.append(value)
        case let value as Int: bindings.append(value)
        case let value as Bool: bindings.append(value)
        default: throw PostgresBindError(type: "\(type(of: bind))")
        }
    }

    private struct PostgresBindError: Error, CustomStringConvertible {
        let type: String
        var description: String { "a repeated statement binds a \(type), which it does not encode" }
    }

    /// Any pooled connection reads; each sees what was committed before its statement began.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withDatabase(body)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let database = connection.sql()
            try await database.raw("BEGIN").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The channel every committed change is announced on (see `SQLStore.notify`).
    static let changeChannel = "gatehouse_changes"

    /// LISTENs on one pooled connection; after a lost connection it reconnects and reports `"*"`,
    /// since changes may have been missed meanwhile. Beside it, beats: see ``ChangeFeedBeat``.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        let beat = ChangeFeedBeat()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.listen(handler, beat: beat) }
            group.addTask { try await self.sendBeats(beat) }
            try await group.next()
            group.cancelAll()
        }
    }

    private func listen(_ handler: @escaping @Sendable (String) -> Void, beat: ChangeFeedBeat) async throws {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        if reconnecting { handler("*") }
                        for try await notification in notifications {
                            switch beat.heard(notification.payload) {
                            case .change: handler(notification.payload)
                            case .ownBeat(let sent): handler(ChangeFeedTrust.payload(vouchedUpTo: sent))
                            case .othersBeat: break
                            }
                        }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
            }
            reconnecting = true
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Sends this listener's beat every ``ChangeFeedTrust/beatInterval``; a beat the database
    /// does not take within a second is skipped (the trust then lapses, as it should).
    private func sendBeats(_ beat: ChangeFeedBeat) async throws {
        while !Task.isCancelled {
            let payload = beat.payload(sentAt: Date())
            try? await DatabaseDeadline.$current.withValue(.seconds(1)) {
                try await DatabaseDeadline.run {
                    try await self.withDatabase { database in
                        try await database.raw("SELECT pg_notify(\(bind: Self.changeChannel), \(bind: payload))").run()
                    }
                }
            }
            try await Task.sleep(for: ChangeFeedTrust.beatInterval)
        }
    }

    func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// A connection that could not be made or was lost, a closed pool, or the server saying it
    /// cannot work now: SQLSTATE class 08 (connection exception), 53 (insufficient resources),
    /// 57P01–57P03 (shut down, crash shut down, cannot connect now), 25006 (read-only transaction,
    /// a standby). Serialisation failures and deadlocks (40001, 40P01) are the statement's own.
    func isUnavailable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return Self.isConnectionFailure(error) }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
             .sslUnsupported, .failedToAddSSLHandler:
            return true
        case .server:
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03", "25006"].contains(state)
        default:
            return false
        }
    }

    /// NIO's own connection errors (refused, reset, timed out) when they reach us unwrapped.
    private static func isConnectionFailure(_ error: any Error) -> Bool {
        error is NIOConnectionError || error is ChannelError || error is IOError
    }

    func close() async throws {
        await client.close()
    }

    /// PostgresNIO hides details from `description` on purpose; pick the operator-facing part.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] { return "the server said: \(message)" }
        if let underlying = error.underlying { return String(describing: underlying) }
        return "\(error.code)"
    }
}
