import Crypto
import Foundation
import GatehouseCore
import Synchronization

/// Remembers Gatehouse's decisions for a short ``lifetime``, keyed by everything the decision
/// depends on (token, method, target, client address, method-override headers).
///
/// Bounded: at most ``capacity`` entries, each keyed by a 64-character keyed hash (HMAC-SHA256
/// under a key made at start, so a token is never kept in memory as such and a long one costs no
/// more); when full, expired entries go, and if none had, all of them. Refusals are kept exactly
/// as long as allowed answers, never longer: a refusal that stops applying (an IP added to the
/// allow-list) and an allowance that stops applying (a revoked token) both take at most
/// ``lifetime`` to be seen.
final class DecisionCache: Sendable {
    let lifetime: Duration
    let capacity: Int
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let hasher = SecretHasher(pepper: SymmetricKey(size: .bits256))
    private let entries = Mutex<[String: (decision: GatehouseDecision, expires: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration, capacity: Int, clock: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// The key of one question: its parts, joined by a byte none of them can hold.
    func key(_ parts: [String]) -> String {
        hasher.hash(parts.joined(separator: "\u{0}"))
    }

    func decision(for key: String) -> GatehouseDecision? {
        let now = clock()
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else { entries[key] = nil; return nil }
            return entry.decision
        }
    }

    func remember(_ decision: GatehouseDecision, for key: String) {
        guard decision.isCacheable, lifetime > .zero, capacity > 0 else { return }
        let now = clock()
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = (decision, now + lifetime)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
