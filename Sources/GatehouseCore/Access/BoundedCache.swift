internal import DequeModule
import Foundation

/// A dictionary of at most `capacity` entries, and at most `maxBytes` bytes of keys (each key's
/// UTF-8 bytes plus ``entryOverhead``), that, when full, evicts the entry stored longest ago
/// (first in, first out). Every operation is amortised O(1) but ``removeAll(where:)``.
///
/// The byte bound is for keys a client chooses (an unknown client id or user name cached as a
/// miss): however long they are, the cache holds at most `maxBytes` of them.
///
/// Each entry remembers when it was stored, so a reader can refuse one older than it accepts.
/// Not thread-safe: its owner guards it (``APIKeyVerifier`` holds it in a `Mutex`).
struct BoundedCache<Value> {
    private struct Entry {
        var value: Value
        var storedAt: Date
        var sequence: Int
    }

    /// What one entry costs besides its key's bytes, roughly: the dictionary slot, the order
    /// element and the value.
    static var entryOverhead: Int { 64 }

    let capacity: Int
    let maxBytes: Int
    private(set) var bytes = 0
    private var entries: [String: Entry] = [:]
    /// Keys in the order they were stored (swift-collections' ring buffer: the oldest leaves from
    /// the front); an element is stale once its key was stored again (another sequence number) or
    /// removed. Compacted when it grows past twice the capacity.
    private var order: Deque<(key: String, sequence: Int)> = []
    private var nextSequence = 0

    init(capacity: Int, maxBytes: Int = .max) {
        precondition(capacity > 0, "a cache needs room for one entry")
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    private static func cost(_ key: String) -> Int { key.utf8.count + entryOverhead }

    var count: Int { entries.count }

    /// The value of `key` if it was stored no more than `maxAge` before `now` (and not after it:
    /// a clock that went back does not make an entry young).
    func value(_ key: String, now: Date, maxAge: TimeInterval) -> Value? {
        guard let entry = entries[key], entry.storedAt <= now, now.timeIntervalSince(entry.storedAt) < maxAge else { return nil }
        return entry.value
    }

    /// Stores `value` under `key` as new, evicting the oldest entries while the cache is full.
    ///
    /// An entry `isPinned` holds on to is not evicted while another can be: it goes to the back of
    /// the line instead (the throttle pins its locks, so that a flood of new keys cannot push a
    /// locked one out). When every entry is pinned, the oldest goes all the same.
    mutating func insert(_ key: String, _ value: Value, at date: Date, isPinned: (Value) -> Bool = { _ in false }) {
        if entries[key] == nil {
            let cost = Self.cost(key)
            // A key larger than the whole budget is not kept at all.
            guard cost <= maxBytes else { return }
            while entries.count >= capacity || bytes > maxBytes - cost, evictOldest(isPinned: isPinned) {}
            bytes += cost
        }
        nextSequence += 1
        entries[key] = Entry(value: value, storedAt: date, sequence: nextSequence)
        order.append((key, nextSequence))
        if order.count > 2 * max(capacity, 16) { compact() }
    }

    mutating func remove(_ key: String) {
        if entries.removeValue(forKey: key) != nil { bytes -= Self.cost(key) }
    }

    mutating func removeAll(where shouldRemove: (Value) -> Bool) {
        entries = entries.filter { !shouldRemove($0.value.value) }
        bytes = entries.keys.reduce(0) { $0 + Self.cost($1) }
    }

    mutating func removeAll() {
        entries = [:]
        order = []
        bytes = 0
    }

    private mutating func evictOldest(isPinned: (Value) -> Bool) -> Bool {
        var spared = 0
        while let (key, sequence) = order.popFirst() {
            guard let entry = entries[key], entry.sequence == sequence else { continue }
            if spared < entries.count, isPinned(entry.value) {
                spared += 1
                nextSequence += 1
                entries[key]?.sequence = nextSequence
                order.append((key, nextSequence))
                continue
            }
            remove(key)
            return true
        }
        return false
    }

    private mutating func compact() {
        order.removeAll { entries[$0.key]?.sequence != $0.sequence }
    }
}
