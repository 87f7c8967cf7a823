import Foundation
import GatehouseCore
import Logging
import PostgresNIO
import Synchronization

/// PostgresNIO's connection pool, replaced by a new one when the database is back but the pool is
/// not (SPEC §2: "the server recovers by itself within 5 s of the database's return").
///
/// After failed connection attempts the pool waits before the next one, 100 ms growing 1.25× per
/// failure up to a minute (`PoolStateMachine.calculateBackoff`): after 45 s of outage it took 9 s
/// to connect again. So while the pool fails, a direct connection is tried once a second; when it
/// succeeds and the pool has still not served a connection for ``stuckAfter``, the pool is
/// replaced. Requests waiting on the old pool end there (503, as they would have anyway).
final class RenewablePool: Sendable {
    private struct Current {
        var client: PostgresClient
        var run: Task<Void, Never>
    }

    /// How long the pool may fail without one success before a working probe replaces it.
    static let stuckAfter: Duration = .seconds(2)

    private let configuration: PostgresClient.Configuration
    private let logger: Logger
    private let current: Mutex<Current>
    private let lastSuccess = Atomic<Int64>(0)
    private let lastFailure = Atomic<Int64>(0)
    private let closed = Atomic<Bool>(false)
    private let healer = Mutex<Task<Void, Never>?>(nil)

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        current = Mutex(Self.start(configuration, logger: logger))
        Self.note(lastSuccess)
        let healing = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                await self?.renewIfStuck()
            }
        }
        healer.withLock { $0 = healing }
    }

    private static func start(_ configuration: PostgresClient.Configuration, logger: Logger) -> Current {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return Current(client: client, run: Task { await client.run() })
    }

    /// A connection of the current pool; whether it could be had is remembered for the healer.
    /// Throws ``StoreUnavailable`` when none could be had.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let client = current.withLock { $0.client }
        let leased = Atomic<Bool>(false)
        do {
            let value = try await client.withConnection { connection in
                leased.store(true, ordering: .relaxed)
                Self.note(lastSuccess)
                return try await body(connection)
            }
            return value
        } catch {
            guard !leased.load(ordering: .relaxed) else { throw error }
            Self.note(lastFailure)
            // No connection could be had (a refused or timed-out connect, a pool shut down by a
            // renewal): the database is away, whatever the pool called it.
            throw error is CancellationError ? error : StoreUnavailable(.unreachable)
        }
    }

    private static func note(_ moment: borrowing Atomic<Int64>) {
        moment.store(monotonicMilliseconds(), ordering: .relaxed)
    }

    private static func monotonicMilliseconds() -> Int64 {
        Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }

    /// Replaces the pool when it is still failing, has served no connection for ``stuckAfter``,
    /// and a direct connection now works.
    private func renewIfStuck() async {
        let now = Self.monotonicMilliseconds()
        let failure = lastFailure.load(ordering: .relaxed), success = lastSuccess.load(ordering: .relaxed)
        let stuck = Int64(Self.stuckAfter.components.seconds) * 1000
        guard !closed.load(ordering: .relaxed), failure > success, now - success >= stuck, now - failure < 5000 else { return }
        guard await probe() else { return }
        let old = current.withLock { current -> Current in
            let old = current
            current = Self.start(configuration, logger: logger)
            return old
        }
        Self.note(lastSuccess)
        old.run.cancel()
        logger.notice("the database answers again: its connection pool was renewed")
    }

    /// Whether a direct connection succeeds within the connect timeout.
    private func probe() async -> Bool {
        let options = configuration
        guard let host = options.host, let port = options.port else { return false }
        do {
            let connection = try await DatabaseDeadline.$current.withValue(.seconds(2)) {
                try await DatabaseDeadline.run {
                    try await PostgresConnection.connect(
                        configuration: .init(host: host, port: port, username: options.username, password: options.password,
                                             database: options.database, tls: .disable),
                        id: 0, logger: Logger(label: "gatehouse-probe") { _ in SwiftLogNoOpLogHandler() }
                    )
                }
            }
            try? await connection.close()
            return true
        } catch {
            return false
        }
    }

    deinit {
        healer.withLock { $0?.cancel() }
        current.withLock { $0.run.cancel() }
    }

    func close() async {
        closed.store(true, ordering: .relaxed)
        healer.withLock { $0?.cancel() }
        let run = current.withLock { $0.run }
        run.cancel()
        await run.value
    }
}
