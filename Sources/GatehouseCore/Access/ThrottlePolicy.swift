import Foundation

/// How repeated failed authentication is slowed and then refused (SPEC §7: "Repeated failed
/// authentication from one client or IP is slowed and then refused for a while (`429` with
/// `Retry-After`)").
///
/// Each client IP and each presented client or user name has a leaky bucket of failures: a failure
/// adds one, and the bucket drains `limit` failures per `window`. Past half the limit each failed
/// answer is held back (`slowdownStep` per failure beyond the half, at most `maxSlowdown`); at the
/// limit the key is locked for `lockout`, doubled for each lock that follows within `maxLockout`
/// of the previous one's end, up to `maxLockout` (Keycloak's brute-force detection escalates the
/// same way: a wait increment up to a maximum wait).
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures that lock a key; 0 turns throttling off.
    public var limit: Int
    /// How long the bucket takes to forget `limit` failures.
    public var window: TimeInterval
    /// The first lock's length.
    public var lockout: TimeInterval
    public var maxLockout: TimeInterval
    public var slowdownStep: TimeInterval
    public var maxSlowdown: TimeInterval
    /// Keys remembered at once; when full, the least recently failed unlocked key is forgotten first.
    public var capacity: Int

    public init(
        limit: Int = 20, window: TimeInterval = 60, lockout: TimeInterval = 60, maxLockout: TimeInterval = 900,
        slowdownStep: TimeInterval = 0.1, maxSlowdown: TimeInterval = 1, capacity: Int = 100_000
    ) {
        self.limit = limit
        self.window = window
        self.lockout = lockout
        self.maxLockout = max(maxLockout, lockout)
        self.slowdownStep = slowdownStep
        self.maxSlowdown = maxSlowdown
        self.capacity = capacity
    }

    /// 20 failures a minute per key; locks of 1 minute doubling up to 15.
    public static let standard = ThrottlePolicy()
    public static let off = ThrottlePolicy(limit: 0)

    public var isOn: Bool { limit > 0 }

    /// The failures a bucket at `level` counts: a failure not yet wholly drained still counts.
    func failures(atLevel level: Double) -> Int {
        Int(level.rounded(.up))
    }

    /// The hold-back of a failed answer once the bucket holds `level` failures.
    func slowdown(atLevel level: Double) -> TimeInterval {
        let beyondHalf = Double(failures(atLevel: level) - limit / 2)
        guard beyondHalf > 0 else { return 0 }
        return min(maxSlowdown, beyondHalf * slowdownStep)
    }

    /// The length of the `count`th lock in a row (1 for the first).
    func lockout(number count: Int) -> TimeInterval {
        min(maxLockout, lockout * pow(2, Double(min(max(count - 1, 0), 30))))
    }
}
