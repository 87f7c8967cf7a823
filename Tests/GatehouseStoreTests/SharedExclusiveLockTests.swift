@testable import GatehouseStore
import Synchronization
import Testing

/// A value tasks share, behind a mutex.
private final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

/// Records who holds the lock, and the most that held it at once.
private final class Occupancy: Sendable {
    private let state = Mutex((shared: 0, exclusive: 0, maxShared: 0, overlaps: 0))

    func enter(exclusive: Bool) {
        state.withLock { state in
            if exclusive {
                if state.shared > 0 || state.exclusive > 0 { state.overlaps += 1 }
                state.exclusive += 1
            } else {
                if state.exclusive > 0 { state.overlaps += 1 }
                state.shared += 1
                state.maxShared = max(state.maxShared, state.shared)
            }
        }
    }

    func leave(exclusive: Bool) {
        state.withLock { state in
            if exclusive { state.exclusive -= 1 } else { state.shared -= 1 }
        }
    }

    var maxShared: Int { state.withLock { $0.maxShared } }
    var overlaps: Int { state.withLock { $0.overlaps } }
}

@Suite(.timeLimit(.minutes(1))) struct SharedExclusiveLockTests {
    @Test func sharedHoldersRunTogether() async throws {
        let lock = SharedExclusiveLock()
        let occupancy = Occupancy()
        let allIn = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await lock.withShared {
                        occupancy.enter(exclusive: false)
                        allIn.withLock { $0 += 1 }
                        // Each holder stays until all four are in: only possible if they share.
                        while allIn.withLock({ $0 }) < 4 { await Task.yield() }
                        occupancy.leave(exclusive: false)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(occupancy.maxShared == 4)
    }

    @Test func exclusiveHoldersNeverOverlapAnyone() async throws {
        let lock = SharedExclusiveLock()
        let occupancy = Occupancy()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let exclusive = index % 3 == 0
                group.addTask {
                    let hold: @Sendable () async throws -> Void = {
                        occupancy.enter(exclusive: exclusive)
                        for _ in 0..<3 { await Task.yield() }
                        occupancy.leave(exclusive: exclusive)
                    }
                    if exclusive { try await lock.withExclusive(hold) } else { try await lock.withShared(hold) }
                }
            }
            try await group.waitForAll()
        }
        #expect(occupancy.overlaps == 0)
    }

    @Test func aQueuedExclusiveWaiterGoesBeforeLaterSharedOnes() async throws {
        let lock = SharedExclusiveLock()
        let order = Shared<[String]>([])
        let releaseFirst = Shared(false)
        let firstIn = Shared(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await lock.withShared {
                    firstIn.withLock { $0 = true }
                    while !releaseFirst.withLock({ $0 }) { await Task.yield() }
                    order.withLock { $0.append("first shared") }
                }
            }
            while !firstIn.withLock({ $0 }) { await Task.yield() }
            group.addTask { try await lock.withExclusive { order.withLock { $0.append("exclusive") } } }
            // The exclusive asker queues before the later shared one asks, and both wait.
            while lock.waiterCount < 1 { await Task.yield() }
            group.addTask { try await lock.withShared { order.withLock { $0.append("later shared") } } }
            while lock.waiterCount < 2 { await Task.yield() }
            releaseFirst.withLock { $0 = true }
            try await group.waitForAll()
        }
        #expect(order.withLock { $0 } == ["first shared", "exclusive", "later shared"])
    }

    @Test func aThrowingHolderReleasesTheLock() async throws {
        struct Failure: Error {}
        let lock = SharedExclusiveLock()
        await #expect(throws: Failure.self) { try await lock.withExclusive { throw Failure() } }
        await #expect(throws: Failure.self) { try await lock.withShared { throw Failure() } }
        let answer = try await lock.withExclusive { 42 }
        #expect(answer == 42)
    }
}
