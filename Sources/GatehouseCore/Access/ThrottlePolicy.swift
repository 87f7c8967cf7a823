import Foundation

/// How repeated failed authentication is slowed and then refused (SPEC §7: "Repeated failed
/// authentication from one client or IP is slowed and then refused for a while (`429` with
/// `Retry-After`)").
///
/// Each counted key has a leaky bucket of failures: a failure adds one, and the bucket drains its
/// limit over its window. Three kinds of key have three buckets (docs/throttling.md):
/// - a client's address: `limit` per `window` (20 a minute);
/// - one account (user name, consumer identifier) from one address: `accountFromIPLimit` per
///   `accountWindow` (10 an hour);
/// - one account from anywhere: `accountLimit` per `accountWindow` (100 an hour: NIST SP 800-63B
///   §5.2.2 "SHALL limit consecutive failed authentication attempts on a single account to no
///   more than 100").
///
/// Past half its limit each failed answer is held back (`slowdownStep` per failure beyond the
/// half, at most `maxSlowdown`); at the limit the key is locked for `lockout`, doubled for each
/// lock that follows within `maxLockout` of the previous one's end, up to `maxLockout` (Keycloak's
/// brute-force detection escalates the same way: a wait increment up to a maximum wait).
///
/// An account's lock refuses strangers only: an address that proved the account's secret within
/// `knownAddressLifetime` (one of the last `knownAddressesPerAccount` to do so) is not refused by
/// it, only by its own (account, address) and address locks (``KnownAddresses``).
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures that lock an address; 0 turns throttling off.
    public var limit: Int
    /// How long an address's bucket takes to forget `limit` failures.
    public var window: TimeInterval
    /// Failures against one account from one address that lock that pair.
    public var accountFromIPLimit: Int
    /// Failures against one account from all addresses that lock the account.
    public var accountLimit: Int
    /// How long an account's buckets take to forget their limits.
    public var accountWindow: TimeInterval
    /// The first lock's length.
    public var lockout: TimeInterval
    public var maxLockout: TimeInterval
    public var slowdownStep: TimeInterval
    public var maxSlowdown: TimeInterval
    /// Keys remembered at once; when full, the least recently failed unlocked key is forgotten first.
    /// Also the most accounts whose known-good addresses are remembered.
    public var capacity: Int
    /// How long an address that proved an account's secret stays exempt from the account's lock.
    public var knownAddressLifetime: TimeInterval
    /// The most addresses remembered as known good per account.
    public var knownAddressesPerAccount: Int

    /// The account limits follow `limit` unless given: half of it per (account, address), five
    /// times it per account; their window is 60 times `window`.
    public init(
        limit: Int = 20, window: TimeInterval = 60,
        accountFromIPLimit: Int? = nil, accountLimit: Int? = nil, accountWindow: TimeInterval? = nil,
        lockout: TimeInterval = 60, maxLockout: TimeInterval = 900,
        slowdownStep: TimeInterval = 0.1, maxSlowdown: TimeInterval = 1, capacity: Int = 100_000,
        knownAddressLifetime: TimeInterval = 30 * 86_400, knownAddressesPerAccount: Int = 8
    ) {
        self.limit = limit
        self.window = window
        self.accountFromIPLimit = accountFromIPLimit ?? max(1, limit / 2)
        self.accountLimit = accountLimit ?? limit.multipliedReportingOverflow(by: 5).partialValue
        self.accountWindow = accountWindow ?? window * 60
        self.lockout = lockout
        self.maxLockout = max(maxLockout, lockout)
        self.slowdownStep = slowdownStep
        self.maxSlowdown = maxSlowdown
        self.capacity = capacity
        self.knownAddressLifetime = knownAddressLifetime
        self.knownAddressesPerAccount = knownAddressesPerAccount
    }

    /// 20 failures a minute per address, 10 an hour per account and address, 100 an hour per
    /// account (strangers only); locks of 1 minute doubling up to 15; an address known good for
    /// 30 days, 8 per account.
    public static let standard = ThrottlePolicy()
    public static let off = ThrottlePolicy(limit: 0)

    public var isOn: Bool { limit > 0 }

    /// A kind of key's bucket: the failures that lock it, and how long it takes to forget them.
    struct Bucket {
        var limit: Int
        var window: TimeInterval

        /// The failures a bucket at `level` counts: a failure not yet wholly drained still counts.
        func failures(atLevel level: Double) -> Int {
            Int(level.rounded(.up))
        }

        /// `level` after `elapsed` seconds of draining.
        func drained(_ level: Double, over elapsed: TimeInterval) -> Double {
            max(0, level - elapsed * Double(limit) / window)
        }
    }

    func bucket(_ kind: FailedAuthenticationThrottle.Key.Kind) -> Bucket {
        switch kind {
        case .ip: Bucket(limit: limit, window: window)
        case .accountFromIP: Bucket(limit: max(1, accountFromIPLimit), window: accountWindow)
        case .account: Bucket(limit: max(1, accountLimit), window: accountWindow)
        }
    }

    /// The hold-back of a failed answer once `bucket` holds `level` failures.
    func slowdown(atLevel level: Double, of bucket: Bucket) -> TimeInterval {
        let beyondHalf = Double(bucket.failures(atLevel: level) - bucket.limit / 2)
        guard beyondHalf > 0 else { return 0 }
        return min(maxSlowdown, beyondHalf * slowdownStep)
    }

    /// The length of the `count`th lock in a row (1 for the first).
    func lockout(number count: Int) -> TimeInterval {
        min(maxLockout, lockout * pow(2, Double(min(max(count - 1, 0), 30))))
    }
}
