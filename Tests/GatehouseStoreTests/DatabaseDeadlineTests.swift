import Foundation
import GatehouseCore
@testable import GatehouseStore
import Synchronization
import Testing

/// ``DatabaseDeadline``: a database call answers by its deadline whatever the database does.
@Suite struct DatabaseDeadlineTests {
    @Test func workThatAnswersInTimeReturnsItsValue() async throws {
        let value = try await DatabaseDeadline.run { 42 }
        #expect(value == 42)
    }

    @Test func anErrorOfTheWorkPassesUnchanged() async throws {
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await DatabaseDeadline.run { () async throws -> Int in throw Refused() } }
    }

    /// Work that never ends and ignores cancellation (a query on a connection whose server went
    /// silent): without the deadline this test would never finish.
    @Test func workThatNeverAnswersEndsInStoreUnavailableAtTheDeadline() async throws {
        let stuck = Stuck()
        let error = await #expect(throws: StoreUnavailable.self) {
            try await DatabaseDeadline.$current.withValue(.milliseconds(100)) {
                try await DatabaseDeadline.run { await stuck.wait() }
            }
        }
        #expect(error?.reason == .timedOut)
        stuck.release()
    }

    @Test func aCancelledCallerIsAnsweredAtOnceAndTheWorkIsCancelled() async throws {
        let stuck = Stuck()
        let sawCancellation = Mutex(false)
        let caller = Task {
            try await DatabaseDeadline.$current.withValue(.seconds(3600)) {
                try await DatabaseDeadline.run {
                    await withTaskCancellationHandler { await stuck.wait() } onCancel: { sawCancellation.withLock { $0 = true } }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(sawCancellation.withLock { $0 }, "the work was cancelled with its caller")
        stuck.release()
    }

    /// A continuation resumed only by ``release()``, as a statement that never returns.
    final class Stuck: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        private let released = Mutex(false)

        func wait() async {
            await withCheckedContinuation { continuation in
                let now = released.withLock { $0 }
                if now { continuation.resume() } else { waiting.withLock { $0.append(continuation) } }
            }
        }

        func release() {
            released.withLock { $0 = true }
            for continuation in waiting.withLock({ list in defer { list = [] }; return list }) { continuation.resume() }
        }
    }
}
