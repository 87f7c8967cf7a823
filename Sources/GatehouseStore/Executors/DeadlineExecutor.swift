import GatehouseCore
import SQLKit

/// Puts a deadline on every piece of work another executor does, and turns the database being
/// away into ``StoreUnavailable`` (SPEC §2: a request that needs the database answers 503 within
/// 5 s, never 500, never a hang).
///
/// - Each call may take ``DatabaseDeadline/current`` (4 s unless the caller set it): a pool
///   waiting for a connection to a stopped server, a query on a connection that went silent and
///   a statement waiting on a file lock all end there.
/// - An error the database raises because it cannot work now (``isUnavailable(_:)``: a lost
///   connection, a read-only or full disk) becomes ``StoreUnavailable``; every other error (a
///   unique key, a constraint) passes unchanged.
///
/// The change listener runs without a deadline: it is meant to run for as long as the server.
struct DeadlineExecutor: SQLExecutor {
    let base: any SQLExecutor

    var dialect: SQLDialectKind { base.dialect }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await bounded { try await base.withDatabase(body) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await bounded { try await base.read(body) }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await bounded { try await base.transaction(body) }
    }

    func rows<Statement: RepeatedStatement>(of statement: SQLQueryString, repeating: Statement.Type) async throws -> [any SQLRow] {
        try await bounded { try await base.rows(of: statement, repeating: repeating) }
    }

    func isUniqueViolation(_ error: any Error) -> Bool { base.isUniqueViolation(error) }

    func isUnavailable(_ error: any Error) -> Bool { error is StoreUnavailable || base.isUnavailable(error) }

    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        try await base.listenForChanges(handler)
    }

    func close() async throws { try await base.close() }

    private func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await DatabaseDeadline.run(work)
        } catch let error where !(error is StoreUnavailable) && base.isUnavailable(error) {
            throw StoreUnavailable(base.dialect == .sqlite ? .cannotWrite : .unreachable)
        }
    }
}
