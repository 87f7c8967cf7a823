import Foundation
import Synchronization

/// Counts failed authentication per client IP and per presented name, and refuses a key that
/// failed too often (``ThrottlePolicy``; SPEC §7). Counts live in memory, per process, as with
/// Kong's `local` rate-limiting policy. The locks it puts are handed to `onLock`, which the
/// server announces, so that the other instances on the database refuse the key too
/// (``ThrottleLock``, ``apply(_:now:)``).
///
/// A locked key is refused before its credential is looked at, whether the credential is right
/// or wrong: an answer that differed would tell a guesser when it had guessed right.
public final class FailedAuthenticationThrottle: Sendable {
    /// What is counted: the client's address (an IPv6 client by its /64, the smallest block a
    /// site is given, RFC 6177), or a client id or user name presented with a credential.
    public enum Key: Hashable, Sendable {
        case ip(IPAddress)
        case name(String)

        var text: String {
            switch self {
            case .ip(let address) where address.isIPv4: "ip:" + address.description
            case .ip(let address): "ip:" + (IPAddress(networkBytes: Array(address.bytes.prefix(8)) + Array(repeating: 0, count: 8))?.description ?? "") + "/64"
            // Names come from the client: a long one is counted by its first 200 bytes.
            case .name(let name): "name:" + String(decoding: name.utf8.prefix(200), as: UTF8.self)
            }
        }
    }

    struct Record {
        /// Failures in the bucket at `updated`.
        var level: Double
        var updated: Date
        var lockedUntil: Date?
        /// Locks in a row: reset once a key stays unlocked for `maxLockout` after its last lock.
        var lockouts: Int
    }

    public let policy: ThrottlePolicy
    private let records: Mutex<BoundedCache<Record>>
    /// Lets an answer skip the lock while nothing is counted (always, for well-behaved clients).
    private let isEmpty = Atomic<Bool>(true)
    /// Told of every lock this instance puts on a key, to announce it to the others.
    private let onLock: @Sendable (ThrottleLock) -> Void

    public init(policy: ThrottlePolicy, onLock: @escaping @Sendable (ThrottleLock) -> Void = { _ in }) {
        self.policy = policy
        self.records = Mutex(BoundedCache(capacity: max(policy.capacity, 1)))
        self.onLock = onLock
    }

    /// What every endpoint's refusal of a locked key says, in its own format.
    public static func refusalMessage(retryAfter seconds: Int) -> String {
        "too many failed authentication attempts; retry in \(seconds) s"
    }

    /// Whether any key is counted: when not, no key can be locked or cleared.
    public var isCounting: Bool { policy.isOn && !isEmpty.load(ordering: .relaxed) }

    /// Seconds until the first of `keys` is unlocked (whole, at least 1); `nil` when none is locked.
    public func retryAfter(_ keys: [Key], now: Date) -> Int? {
        guard policy.isOn, !keys.isEmpty, !isEmpty.load(ordering: .relaxed) else { return nil }
        let until = records.withLock { records in
            keys.compactMap { records.value($0.text, now: now, maxAge: .infinity)?.lockedUntil }.filter { $0 > now }.max()
        }
        return until.map { max(1, Int(($0.timeIntervalSince(now)).rounded(.up))) }
    }

    /// Counts a failure against every key; answers how long to hold back the failed answer.
    @discardableResult
    public func recordFailure(_ keys: [Key], now: Date) -> TimeInterval {
        guard policy.isOn, !keys.isEmpty else { return 0 }
        var locks: [ThrottleLock] = []
        let slowdown = records.withLock { records in
            var slowdown: TimeInterval = 0
            for key in Set(keys.map(\.text)) {
                var record = records.value(key, now: now, maxAge: .infinity).map { drained($0, now: now) }
                    ?? Record(level: 0, updated: now, lockedUntil: nil, lockouts: 0)
                if let until = record.lockedUntil, until > now { continue }
                record.level += 1
                slowdown = max(slowdown, policy.slowdown(atLevel: record.level))
                if policy.failures(atLevel: record.level) >= policy.limit {
                    record.lockouts += 1
                    let until = now.addingTimeInterval(policy.lockout(number: record.lockouts))
                    record.lockedUntil = until
                    record.level = 0
                    locks.append(ThrottleLock(key: key, until: until))
                }
                records.insert(key, record, at: now, isPinned: { isLocked($0, now: now) })
            }
            isEmpty.store(records.count == 0, ordering: .relaxed)
            return slowdown
        }
        locks.forEach(onLock)
        return slowdown
    }

    /// Applies a lock another instance announced: the key is refused until then (or until its
    /// own, later lock ends). Its count and streak stay this instance's own.
    public func apply(_ lock: ThrottleLock, now: Date) {
        guard policy.isOn, lock.until > now else { return }
        records.withLock { records in
            var record = records.value(lock.key, now: now, maxAge: .infinity).map { drained($0, now: now) }
                ?? Record(level: 0, updated: now, lockedUntil: nil, lockouts: 0)
            record.lockedUntil = max(record.lockedUntil ?? lock.until, lock.until)
            records.insert(lock.key, record, at: now, isPinned: { isLocked($0, now: now) })
            isEmpty.store(false, ordering: .relaxed)
        }
    }

    /// A right credential clears what was counted against its name (never an IP's count: a
    /// guesser could mix in a credential of its own).
    public func recordSuccess(name: String) {
        guard policy.isOn, !isEmpty.load(ordering: .relaxed) else { return }
        records.withLock { records in
            records.remove(Key.name(name).text)
            isEmpty.store(records.count == 0, ordering: .relaxed)
        }
    }

    /// Forgets the keys with nothing left to remember: bucket drained, no lock, no streak. Run now
    /// and then (the server does every minute), so that a server whose clients stopped failing
    /// goes back to skipping the throttle with one atomic load.
    public func forgetIdle(now: Date) {
        guard isCounting else { return }
        records.withLock { records in
            records.removeAll { record in
                let current = drained(record, now: now)
                return current.level == 0 && current.lockedUntil == nil
            }
            isEmpty.store(records.count == 0, ordering: .relaxed)
        }
    }

    /// A full table evicts a locked key last: otherwise a guesser locked out of one user name
    /// could push its lock out with a flood of made-up names from many addresses, and go on.
    private func isLocked(_ record: Record, now: Date) -> Bool {
        record.lockedUntil.map { $0 > now } ?? false
    }

    /// The record as of `now`: failures drained, and the lock streak forgotten after a quiet spell.
    private func drained(_ record: Record, now: Date) -> Record {
        var record = record
        let elapsed = max(0, now.timeIntervalSince(record.updated))
        record.level = max(0, record.level - elapsed * Double(policy.limit) / policy.window)
        record.updated = now
        if let until = record.lockedUntil, now >= until.addingTimeInterval(policy.maxLockout) {
            record.lockedUntil = nil
            record.lockouts = 0
        }
        return record
    }
}
