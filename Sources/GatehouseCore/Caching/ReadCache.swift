import Foundation
import Synchronization

/// A bounded, thread-safe cache of store reads (found values and `nil` alike) that honours
/// invalidation at once: a read that began before ``removeAll()`` or ``set(_:_:now:)`` is not
/// cached when it ends, so a stale answer never outlives the change that made it stale.
final class ReadCache<Value: Sendable>: Sendable {
    private struct State {
        var entries: BoundedCache<Value?>
        /// Moves on every change; a read begun under an older generation is not cached.
        var generation = 0
    }

    private let state: Mutex<State>
    /// How long an entry is believed without a change notification (a change made by another
    /// process that does not announce it, such as the CLI writing to an embedded SQLite file).
    let lifetime: TimeInterval

    init(capacity: Int, lifetime: TimeInterval) {
        self.state = Mutex(State(entries: BoundedCache(capacity: max(capacity, 1))))
        self.lifetime = lifetime
    }

    /// The cached answer for `key`, or the answer of `read`, cached unless a change came in between.
    /// While `trust` cannot vouch for the cache, every answer is `read`'s, and none is kept.
    func value(_ key: String, now: Date, trust: ChangeFeedTrust, read: () async throws -> Value?) async throws -> Value? {
        guard trust.trusts(now: now) else { return try await read() }
        let (cached, generation) = state.withLock { state in
            (state.entries.value(key, now: now, maxAge: lifetime), state.generation)
        }
        if let cached { return cached }
        let value = try await read()
        state.withLock { state in
            if state.generation == generation { state.entries.insert(key, value, at: now) }
        }
        return value
    }

    /// Records a value this process has just written.
    func set(_ key: String, _ value: Value?, now: Date) {
        state.withLock { state in
            state.generation += 1
            state.entries.insert(key, value, at: now)
        }
    }

    func removeAll() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
