import Synchronization

/// A lock for async code with two modes: any number of shared holders at once, or one exclusive
/// holder alone.
///
/// Waiters are granted in the order they came, so a steady stream of shared holders never starves
/// an exclusive one: once an exclusive waiter is queued, later shared ones queue behind it. A lock
/// that is free for the asker is taken without suspending.
final class SharedExclusiveLock: Sendable {
    private struct Waiter {
        let exclusive: Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var sharedHolders = 0
        var exclusiveHeld = false
        var waiters: [Waiter] = []

        func isFree(exclusive: Bool) -> Bool {
            !exclusiveHeld && (!exclusive || sharedHolders == 0)
        }

        mutating func take(exclusive: Bool) {
            if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
        }

        /// Takes the lock for `exclusive` if no one waits ahead and it is free.
        mutating func tryTake(exclusive: Bool) -> Bool {
            guard waiters.isEmpty, isFree(exclusive: exclusive) else { return false }
            take(exclusive: exclusive)
            return true
        }
    }

    private let state = Mutex(State())

    /// How many wait; for tests.
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    init() {}

    /// Runs `body` while holding the lock shared.
    func withShared<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(exclusive: false)
        defer { release(exclusive: false) }
        return try await body()
    }

    /// Runs `body` while holding the lock alone.
    func withExclusive<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(exclusive: true)
        defer { release(exclusive: true) }
        return try await body()
    }

    private func acquire(exclusive: Bool) async {
        if state.withLock({ $0.tryTake(exclusive: exclusive) }) { return }
        await withCheckedContinuation { continuation in
            let taken = state.withLock { state in
                if state.tryTake(exclusive: exclusive) { return true }
                state.waiters.append(Waiter(exclusive: exclusive, continuation: continuation))
                return false
            }
            if taken { continuation.resume() }
        }
    }

    /// Hands the lock to the waiters at the head of the queue that it is now free for: one
    /// exclusive waiter, or every shared waiter up to the next exclusive one.
    private func release(exclusive: Bool) {
        let granted = state.withLock { state in
            if exclusive { state.exclusiveHeld = false } else { state.sharedHolders -= 1 }
            var granted: [CheckedContinuation<Void, Never>] = []
            for next in state.waiters {
                guard state.isFree(exclusive: next.exclusive) else { break }
                state.take(exclusive: next.exclusive)
                granted.append(next.continuation)
            }
            state.waiters.removeFirst(granted.count)
            return granted
        }
        for continuation in granted { continuation.resume() }
    }
}
