import Foundation
import Synchronization

/// How far the caches may be believed: only as far as the change feed can vouch that no change
/// was missed (SPEC §2: "requests that can be answered from memory keep working unless that
/// would trust data older than the change feed can vouch for (fail closed)").
///
/// On PostgreSQL every instance learns of other instances' changes through `LISTEN`. While that
/// connection is down, or lags, a revocation made elsewhere would go unheard, so each instance
/// sends itself a beat on the same channel every ``beatInterval`` and ``vouch(upTo:)`` records the
/// time a beat was sent when it comes back. PostgreSQL delivers notifications in commit order,
/// so a beat that came back proves every change committed before it was sent has arrived too.
/// Cached entries are believed for at most ``staleness`` past the last vouched time; after that,
/// reads go to the database (and answer 503 while it is away). The embedded SQLite database has
/// one server process and needs no vouching.
public final class ChangeFeedTrust: Sendable {
    /// How long after the last vouched moment the caches are still believed.
    public static let staleness: TimeInterval = 2
    /// How often an instance sends itself a beat.
    public static let beatInterval: Duration = .milliseconds(500)

    public let needsVouching: Bool
    /// Trust that needs no vouching: for caches in front of a store no other process changes.
    public static let unconditional = ChangeFeedTrust(needsVouching: false)
    private let staleness: TimeInterval
    /// Milliseconds since 1970 of the last vouched moment; 0 = never.
    private let vouchedMilliseconds = Atomic<Int64>(0)

    public init(needsVouching: Bool, staleness: TimeInterval = ChangeFeedTrust.staleness) {
        self.needsVouching = needsVouching
        self.staleness = staleness
    }

    /// Every change committed before `moment` has been heard.
    public func vouch(upTo moment: Date) {
        let milliseconds = Self.milliseconds(moment)
        var current = vouchedMilliseconds.load(ordering: .relaxed)
        while milliseconds > current {
            let (exchanged, original) = vouchedMilliseconds.compareExchange(
                expected: current, desired: milliseconds, ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }

    /// Whether cached entries may answer at `now`.
    public func trusts(now: Date) -> Bool {
        guard needsVouching else { return true }
        let vouched = vouchedMilliseconds.load(ordering: .relaxed)
        return vouched > 0 && now.timeIntervalSince1970 * 1000 - Double(vouched) <= staleness * 1000
    }

    /// The payload a store's change listener hands over when it has vouched up to `moment`:
    /// `vouched <Unix ms>`. Not a change: it drops no cache.
    public static func payload(vouchedUpTo moment: Date) -> String {
        "vouched \(milliseconds(moment))"
    }

    private static func milliseconds(_ moment: Date) -> Int64 {
        Int64(exactly: (moment.timeIntervalSince1970 * 1000).rounded(.down)) ?? 0
    }

    /// The moment a `vouched <Unix ms>` payload names, or `nil` for any other payload.
    public static func vouchedMoment(_ payload: String) -> Date? {
        guard payload.hasPrefix("vouched "), let milliseconds = Int64(payload.dropFirst("vouched ".count)) else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
