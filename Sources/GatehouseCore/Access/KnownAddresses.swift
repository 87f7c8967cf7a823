import Foundation

/// The addresses each account proved its secret from: an (account, address) pair that
/// authenticated with the account's right password or pass code within `lifetime` is *known
/// good*, and the account's lock does not refuse it (docs/throttling.md). This is OWASP's "slow
/// down online guessing attacks with device cookies" with the client's address for the cookie: a
/// stranger guessing from many addresses locks the account for strangers, while the integration
/// or person that signed in from its own address before keeps signing in from there.
///
/// Only a success makes a pair known: a failure never does, so nobody can make an address known
/// good for an account without that account's secret.
///
/// Bounded: at most `perAccount` addresses per account (the one whose last success is oldest is
/// forgotten first), and at most `capacity` accounts and `maxBytes` of account names (the account
/// whose last remembered success is oldest is forgotten first). A forgotten pair is a stranger
/// again, as before it ever signed in. Per process: not shared between instances.
///
/// Not thread-safe: ``FailedAuthenticationThrottle`` holds it in a `Mutex`.
struct KnownAddresses {
    struct Known {
        /// The address as the throttle counts it (an IPv6 address by its /64).
        var address: String
        var provedAt: Date
    }

    /// Account names are at most 200 characters and an organisation; a longer one was never
    /// signed in with, and is not hashed to find out.
    static let maxAccountBytes = 1024
    /// A pair that proved itself less than this long ago is not stored again: a busy integration
    /// costs one lookup per token, not one write.
    static let refreshInterval: TimeInterval = 60

    let lifetime: TimeInterval
    let perAccount: Int
    private var accounts: BoundedCache<[Known]>

    init(capacity: Int, maxBytes: Int = 16 << 20, perAccount: Int, lifetime: TimeInterval) {
        self.accounts = BoundedCache(capacity: max(capacity, 1), maxBytes: maxBytes)
        self.perAccount = max(perAccount, 1)
        self.lifetime = lifetime
    }

    /// Whether `address` proved `account`'s secret within `lifetime` before `now`.
    func contains(_ account: String, _ address: String, now: Date) -> Bool {
        guard account.utf8.count <= Self.maxAccountBytes, let known = stored(account) else { return false }
        return known.contains { $0.address == address && now.timeIntervalSince($0.provedAt) < lifetime }
    }

    /// `address` proved `account`'s secret at `now`.
    mutating func remember(_ account: String, _ address: String, now: Date) {
        guard account.utf8.count <= Self.maxAccountBytes else { return }
        var known = stored(account) ?? []
        if let index = known.firstIndex(where: { $0.address == address }) {
            let age = now.timeIntervalSince(known[index].provedAt)
            if age >= 0, age < Self.refreshInterval { return }
            known.remove(at: index)
        }
        known.removeAll { now.timeIntervalSince($0.provedAt) >= lifetime }
        known.append(Known(address: address, provedAt: now))
        if known.count > perAccount { known.removeFirst(known.count - perAccount) }
        accounts.insert(account, known, at: now)
    }

    private func stored(_ account: String) -> [Known]? {
        accounts.value(account, now: .distantFuture, maxAge: .infinity)
    }
}
