import Foundation

/// Keeps `value` alive, so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// One benchmark's outcome: how many operations ran in how long.
struct Measurement {
    var name: String
    var operations: Int
    var elapsed: Duration

    var seconds: Double { elapsed.inSeconds }

    var operationsPerSecond: Double { Double(operations) / seconds }
    var nanosecondsPerOperation: Double { seconds * 1e9 / Double(operations) }
}

/// Times a closure on `ContinuousClock`: a warm-up, then batches until the budget is spent.
///
/// Each call of `body` is one operation and returns something derived from its result, which is
/// summed and handed to ``blackHole(_:)``. Batches double until one lasts about a millisecond,
/// so reading the clock costs nothing next to the work.
enum Stopwatch {
    static func measure(_ name: String, for budget: Duration, _ body: () throws -> Int) rethrows -> Measurement {
        let clock = ContinuousClock()
        var sink = 0
        let warmUpEnd = clock.now + min(budget / 5, .milliseconds(200))
        repeat { sink &+= try body() } while clock.now < warmUpEnd

        var batch = 1
        var operations = 0
        let start = clock.now
        var elapsed = Duration.zero
        while elapsed < budget {
            let batchStart = clock.now
            for _ in 0..<batch { sink &+= try body() }
            operations += batch
            let now = clock.now
            if now - batchStart < .milliseconds(1) { batch *= 2 }
            elapsed = now - start
        }
        blackHole(sink)
        return Measurement(name: name, operations: operations, elapsed: elapsed)
    }

    /// Times exactly `count` runs of a slow asynchronous `body` (after one untimed warm-up run).
    static func measure(_ name: String, count: Int, _ body: () async throws -> Int) async rethrows -> Measurement {
        let clock = ContinuousClock()
        var sink = try await body()
        let start = clock.now
        for _ in 0..<count { sink &+= try await body() }
        let elapsed = clock.now - start
        blackHole(sink)
        return Measurement(name: name, operations: count, elapsed: elapsed)
    }
}

extension Duration {
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Shows progress at once, even when standard output is a pipe.
func flushOutput() {
    fflush(nil)
}
