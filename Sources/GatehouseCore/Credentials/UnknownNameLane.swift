import Foundation
import Synchronization

/// The work that hides whether a name exists: an unknown user's (or API user's, or pass-code
/// identifier's) verification, which must take as long as a real one and never succeed.
///
/// Today's answer to "an unknown client id costs a 600,000-round PBKDF2 and shares the one KDF
/// queue with real password checks" (issue 14): such work never queues in front of a real check.
/// - At most one unknown-name derivation runs at once, on a thread at `SCHED_IDLE` (Linux): it
///   only gets CPU that real checks, nice 19, and everything else leave idle.
/// - Any further unknown name, while that one runs, is answered without computing, after the
///   time a verification takes now (a moving average of the real ones, each from call to answer,
///   queueing included, ±10 %; the first unknown-name derivation seeds it): the caller sees the
///   same delay, and the CPU does nothing.
///
/// So a flood of made-up names costs one idle-priority core at most, and real users' checks keep
/// their queue and their latency. What a guesser could still measure: an answer without
/// computing has less jitter than a derivation, and the one unknown name being computed is slower
/// than a real check while real checks keep every core busy. Telling a name that exists from one
/// that does not that way takes many timed requests per name, which the per-address throttle
/// refuses long before (docs/throttling.md).
final class UnknownNameLane: Sendable {
    let gate = PasswordHasher.Gate(maxConcurrent: 1, maxWaiting: 0)
    /// Seconds a verification takes now (an exponential moving average), or nil before the first.
    private let typical = Mutex<Double?>(nil)
    static let weight = 0.2

    /// Runs `work` (a derivation against the dummy hash) if the lane is free; otherwise waits as
    /// long as a verification takes, without computing. Throws ``PasswordHasher/Overloaded``
    /// only before any verification finished (no time to imitate yet).
    func verifyNothing(_ work: () async throws -> [UInt8]) async throws {
        if await gate.tryEnter() {
            let started = ContinuousClock.now
            do {
                _ = try await work()
            } catch {
                await gate.leave()
                throw error
            }
            await gate.leave()
            // Idle priority stretches this one under load: it only seeds the average.
            record(ContinuousClock.now - started, onlyIfFirst: true)
            return
        }
        guard let seconds = typicalSeconds else { throw PasswordHasher.Overloaded() }
        try await Task.sleep(for: .seconds(seconds * Double.random(in: 0.9...1.1)))
    }

    /// Seconds a verification takes now, if one finished.
    var typicalSeconds: Double? { typical.withLock { $0 } }

    /// Folds one verification's time, from call to answer, into the average (or only starts it).
    func record(_ elapsed: Duration, onlyIfFirst: Bool = false) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        typical.withLock { typical in
            if let current = typical {
                if !onlyIfFirst { typical = current + Self.weight * (seconds - current) }
            } else {
                typical = seconds
            }
        }
    }
}
