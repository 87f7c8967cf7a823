import Foundation
import Synchronization

/// A bounded, thread-safe cache of store reads (found values and `nil` alike) that honours
/// invalidation at once: a read that began before ``removeAll()`` or ``set(_:_:now:)`` is not
/// cached when it ends, so a stale answer never outlives the change that made it stale.
///
/// Found values and misses are kept apart, as ``APIKeyVerifier`` keeps them: a miss is keyed by
/// whatever a client sent (a made-up client id or user name), so misses are bounded in bytes as
/// well as in number, and a flood of them never evicts a value that was found.
final class ReadCache<Value: Sendable>: Sendable {
    private struct State {
        var hits: BoundedCache<Value>
        var misses: BoundedCache<Void>
        /// Moves on every change; a read begun under an older generation is not cached.
        var generation = 0

        mutating func insert(_ key: String, _ value: Value?, at date: Date) {
            if let value {
                misses.remove(key)
                hits.insert(key, value, at: date)
            } else {
                hits.remove(key)
                misses.insert(key, (), at: date)
            }
        }
    }

    private let state: Mutex<State>
    /// How long an entry is believed without a change notification (a change made by another
    /// process that does not announce it, such as the CLI writing to an embedded SQLite file).
    let lifetime: TimeInterval

    /// `missBytes` bounds the keys remembered as misses: 1 MiB by default, counting each key's
    /// UTF-8 bytes plus ``BoundedCache/entryOverhead``.
    init(capacity: Int, lifetime: TimeInterval, missBytes: Int = 1 << 20) {
        let capacity = max(capacity, 1)
        self.state = Mutex(State(hits: BoundedCache(capacity: capacity), misses: BoundedCache(capacity: capacity, maxBytes: missBytes)))
        self.lifetime = lifetime
    }

    /// The cached answer for `key`, or the answer of `read`, cached unless a change came in between.
    /// While `trust` cannot vouch for the cache, every answer is `read`'s, and none is kept.
    func value(_ key: String, now: Date, trust: ChangeFeedTrust = .unconditional, read: () async throws -> Value?) async throws -> Value? {
        guard trust.trusts(now: now) else { return try await read() }
        let (cached, generation) = state.withLock { state -> (Value??, Int) in
            if let hit = state.hits.value(key, now: now, maxAge: lifetime) { return (.some(hit), state.generation) }
            if state.misses.value(key, now: now, maxAge: lifetime) != nil { return (.some(nil), state.generation) }
            return (nil, state.generation)
        }
        if let cached { return cached }
        let value = try await read()
        state.withLock { state in
            if state.generation == generation { state.insert(key, value, at: now) }
        }
        return value
    }

    /// Records a value this process has just written.
    func set(_ key: String, _ value: Value?, now: Date) {
        state.withLock { state in
            state.generation += 1
            state.insert(key, value, at: now)
        }
    }

    func removeAll() {
        state.withLock { state in
            state.generation += 1
            state.hits.removeAll()
            state.misses.removeAll()
        }
    }

    var count: Int { state.withLock { $0.hits.count + $0.misses.count } }
    var missBytes: Int { state.withLock { $0.misses.bytes } }
}
