import Foundation
import Synchronization

/// Counts failed authentication per client address and per account, and refuses a key that
/// failed too often (``ThrottlePolicy``; SPEC §7). Counts live in memory, per process, as with
/// Kong's `local` rate-limiting policy. The locks it puts are handed to `onLock`, which the
/// server announces, so that the other instances on the database refuse the key too
/// (``ThrottleLock``, ``apply(_:now:)``).
///
/// What a failure counts against depends on what was guessed (docs/throttling.md): a generated
/// 256-bit secret (client secret, API key, admin key) cannot be guessed, so its failures count
/// against the failing address only, never the credential or client id, which a stranger could
/// otherwise lock for everybody; a secret chosen by a person (a password, a pass code) counts
/// against the address, the (account, address) pair and, far above those, the account.
///
/// The account's lock refuses strangers only: an address that proved the account's secret
/// recently is known good (``KnownAddresses``) and keeps its way in, limited by its own
/// (account, address) and address counts. So strangers guessing from many addresses cannot lock
/// the real user or integration out, and their guesses together stay capped by the account's
/// limit (NIST SP 800-63B §5.2.2).
///
/// A locked key is refused before its credential is looked at, whether the credential is right
/// or wrong: an answer that differed would tell a guesser when it had guessed right.
public final class FailedAuthenticationThrottle: Sendable {
    struct Record {
        var kind: Key.Kind
        /// Failures in the bucket at `updated`.
        var level: Double
        var updated: Date
        var lockedUntil: Date?
        /// Locks in a row: reset once a key stays unlocked for `maxLockout` after its last lock.
        var lockouts: Int

        init(kind: Key.Kind, at date: Date) {
            self.kind = kind
            self.level = 0
            self.updated = date
            self.lockedUntil = nil
            self.lockouts = 0
        }
    }

    public let policy: ThrottlePolicy
    private let records: Mutex<BoundedCache<Record>>
    /// The (account, address) pairs that proved the account's secret: not refused by its lock.
    private let knownAddresses: Mutex<KnownAddresses>
    /// Lets an answer skip the lock while nothing is counted (always, for well-behaved clients).
    private let isEmpty = Atomic<Bool>(true)
    /// Told of every lock this instance puts on a key, to announce it to the others.
    private let onLock: @Sendable (ThrottleLock) -> Void

    public init(policy: ThrottlePolicy, onLock: @escaping @Sendable (ThrottleLock) -> Void = { _ in }) {
        self.policy = policy
        self.records = Mutex(BoundedCache(capacity: max(policy.capacity, 1)))
        self.knownAddresses = Mutex(KnownAddresses(
            capacity: policy.capacity, perAccount: policy.knownAddressesPerAccount, lifetime: policy.knownAddressLifetime
        ))
        self.onLock = onLock
    }

    /// What every endpoint's refusal of a locked key says, in its own format.
    public static func refusalMessage(retryAfter seconds: Int) -> String {
        "too many failed authentication attempts; retry in \(seconds) s"
    }

    /// Whether any key is counted: when not, no key can be locked or cleared.
    public var isCounting: Bool { policy.isOn && !isEmpty.load(ordering: .relaxed) }

    /// Seconds until the first of `keys` is unlocked (whole, at least 1); `nil` when none is locked.
    /// An account's lock does not count when `keys` name the account from an address known good
    /// for it.
    public func retryAfter(_ keys: [Key], now: Date) -> Int? {
        guard policy.isOn, !keys.isEmpty, !isEmpty.load(ordering: .relaxed) else { return nil }
        let exempt = accountsKnowing(keys, now: now)
        let until = records.withLock { records in
            keys.filter { !exempt.contains($0) }.compactMap { Self.stored(records, $0.text)?.lockedUntil }.filter { $0 > now }.max()
        }
        return until.map { max(1, Int(($0.timeIntervalSince(now)).rounded(.up))) }
    }

    /// The account keys whose lock does not refuse `keys`: those of each account that `keys` name
    /// from an address known good for it.
    private func accountsKnowing(_ keys: [Key], now: Date) -> Set<Key> {
        let pairs = keys.compactMap { key -> (account: String, address: IPAddress)? in
            guard case .accountFromIP(let account, let address) = key else { return nil }
            return (account, address)
        }
        guard !pairs.isEmpty else { return [] }
        return knownAddresses.withLock { known in
            Set(pairs.filter { known.contains($0.account, Key.addressText($0.address), now: now) }.map { Key.account($0.account) })
        }
    }

    /// Counts a failure against every key; answers how long to hold back the failed answer.
    @discardableResult
    public func recordFailure(_ keys: [Key], now: Date) -> TimeInterval {
        guard policy.isOn, !keys.isEmpty else { return 0 }
        var locks: [ThrottleLock] = []
        let slowdown = records.withLock { records in
            var slowdown: TimeInterval = 0
            for (text, kind) in Dictionary(keys.map { ($0.text, $0.kind) }, uniquingKeysWith: { first, _ in first }) {
                var record = current(records, text, now: now) ?? Record(kind: kind, at: now)
                if let until = record.lockedUntil, until > now { continue }
                let bucket = policy.bucket(kind)
                record.level += 1
                slowdown = max(slowdown, policy.slowdown(atLevel: record.level, of: bucket))
                if bucket.failures(atLevel: record.level) >= bucket.limit {
                    record.lockouts += 1
                    let until = now.addingTimeInterval(policy.lockout(number: record.lockouts))
                    record.lockedUntil = until
                    record.level = 0
                    locks.append(ThrottleLock(key: text, until: until))
                }
                records.insert(text, record, at: now, isPinned: { isLocked($0, now: now) })
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
        guard policy.isOn, lock.until > now, let kind = Key.Kind(text: lock.key) else { return }
        records.withLock { records in
            var record = current(records, lock.key, now: now) ?? Record(kind: kind, at: now)
            record.lockedUntil = max(record.lockedUntil ?? lock.until, lock.until)
            records.insert(lock.key, record, at: now, isPinned: { isLocked($0, now: now) })
            isEmpty.store(false, ordering: .relaxed)
        }
    }

    /// A right password or pass code for `account`, from `address`: the pair is known good from
    /// now on (the account's lock no longer refuses it), and what that address failed against
    /// the account is forgotten, and taken off the account's count too. The failures of other
    /// addresses stay (the real user signing in must not reset a guesser's counts), and so does
    /// every address's own count (a guesser could mix in a credential of its own).
    public func recordSuccess(account: String, address: IPAddress?, now: Date) {
        guard policy.isOn else { return }
        if let address { knownAddresses.withLock { $0.remember(account, Key.addressText(address), now: now) } }
        guard !isEmpty.load(ordering: .relaxed) else { return }
        records.withLock { records in
            var ownFailures: Double = 0
            if let address {
                let pair = Key.accountFromIP(account, address).text
                ownFailures = current(records, pair, now: now)?.level ?? 0
                records.remove(pair)
            }
            let accountText = Key.account(account).text
            if ownFailures > 0, var record = current(records, accountText, now: now) {
                record.level = max(0, record.level - ownFailures)
                records.insert(accountText, record, at: now, isPinned: { isLocked($0, now: now) })
            }
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

    /// The record of `text` as of `now`, if any.
    private func current(_ records: BoundedCache<Record>, _ text: String, now: Date) -> Record? {
        Self.stored(records, text).map { drained($0, now: now) }
    }

    /// The record of `text` whenever it was stored: a failure counted by another thread a moment
    /// "after" this one's `now` (clocks read before taking the lock) is still there.
    private static func stored(_ records: BoundedCache<Record>, _ text: String) -> Record? {
        records.value(text, now: .distantFuture, maxAge: .infinity)
    }

    /// The record as of `now`: failures drained, and the lock streak forgotten after a quiet spell.
    private func drained(_ record: Record, now: Date) -> Record {
        var record = record
        record.level = policy.bucket(record.kind).drained(record.level, over: max(0, now.timeIntervalSince(record.updated)))
        record.updated = now
        if let until = record.lockedUntil, now >= until.addingTimeInterval(policy.maxLockout) {
            record.lockedUntil = nil
            record.lockouts = 0
        }
        return record
    }
}
