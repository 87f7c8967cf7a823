import Foundation
@testable import GatehouseCore
import Synchronization
import Testing

/// SPEC §7: repeated failed authentication is slowed, then refused for a while.
@Suite struct FailedAuthenticationThrottleTests {
    typealias Key = FailedAuthenticationThrottle.Key
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let alice = Key.account("user:alice")
    let client = Key.ip(IPAddress("192.0.2.7")!)

    /// Every kind of key locks at 4 failures a minute: the bucket's mechanics, whatever the key.
    func throttle(
        _ policy: ThrottlePolicy = ThrottlePolicy(limit: 4, window: 60, accountFromIPLimit: 4, accountLimit: 4, accountWindow: 60, lockout: 30, maxLockout: 120)
    ) -> FailedAuthenticationThrottle {
        FailedAuthenticationThrottle(policy: policy)
    }

    /// `count` failures against `keys`, one a millisecond from `at`.
    func fail(_ throttle: FailedAuthenticationThrottle, _ keys: [Key], _ count: Int, at date: Date) {
        for index in 0..<count { throttle.recordFailure(keys, now: date.addingTimeInterval(Double(index) / 1000)) }
    }

    @Test func theLimitthFailureLocksForTheLockoutAndThenTheKeyIsFree() {
        let throttle = throttle()
        fail(throttle, [alice], 3, at: start)
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1)) == nil)
        throttle.recordFailure([alice], now: start.addingTimeInterval(1))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1)) == 30)
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(20.5)) == 11)
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(31)) == nil)
        #expect(throttle.retryAfter([.account("user:bob")], now: start.addingTimeInterval(2)) == nil, "another name is not locked")
    }

    @Test func failuresDrainOverTheWindow() {
        let throttle = throttle()
        fail(throttle, [alice], 3, at: start)
        // 60 s drain 4 failures: after 30 s, 1 of the 3 is left, so 2 more do not lock and a 3rd does.
        fail(throttle, [alice], 2, at: start.addingTimeInterval(30))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(31)) == nil)
        throttle.recordFailure([alice], now: start.addingTimeInterval(31))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(31)) != nil)
    }

    @Test func aFailureCountsAgainstEveryKeyAndALockOfEitherRefuses() {
        let throttle = throttle()
        fail(throttle, [alice, client], 4, at: start)
        #expect(throttle.retryAfter([client], now: start.addingTimeInterval(1)) != nil)
        #expect(throttle.retryAfter([.account("user:bob"), client], now: start.addingTimeInterval(1)) != nil, "the IP is locked for every name")
        #expect(throttle.retryAfter([alice, .ip(IPAddress("192.0.2.8")!)], now: start.addingTimeInterval(1)) != nil, "the name is locked from every IP")
    }

    @Test func failuresWhileLockedDoNotLengthenTheLock() {
        let throttle = throttle()
        fail(throttle, [alice], 4, at: start)
        fail(throttle, [alice], 10, at: start.addingTimeInterval(10))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(29.5)) == 1)
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(30.01)) == nil)
    }

    @Test func locksInARowDoubleUpToTheMaximumAndAQuietSpellForgetsThem() {
        let throttle = throttle()
        var now = start
        for expected in [30, 60, 120, 120] {
            fail(throttle, [alice], 4, at: now)
            #expect(throttle.retryAfter([alice], now: now.addingTimeInterval(0.01)) == expected)
            now = now.addingTimeInterval(Double(expected) + 1)
        }
        // Unlocked for the longest lock (120 s) after the last one ended: the streak is forgotten.
        now = now.addingTimeInterval(121)
        fail(throttle, [alice], 4, at: now)
        #expect(throttle.retryAfter([alice], now: now.addingTimeInterval(0.01)) == 30)
    }

    @Test func aRightCredentialClearsItsAccountFromItsAddressButNotTheAddress() {
        let throttle = throttle()
        let keys = Key.keys(address: IPAddress("192.0.2.7")!, account: "user:alice")
        fail(throttle, keys, 3, at: start)
        throttle.recordSuccess(account: "user:alice", address: IPAddress("192.0.2.7")!, now: start.addingTimeInterval(0.5))
        throttle.recordFailure(keys, now: start.addingTimeInterval(1))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1)) == nil, "the account starts again from one failure")
        #expect(throttle.retryAfter([client], now: start.addingTimeInterval(1)) == 30, "the IP kept its three")
    }

    @Test func failedAnswersAreHeldBackPastHalfTheLimitUpToTheMaximum() {
        let throttle = throttle(ThrottlePolicy(limit: 10, window: 600, accountLimit: 10, accountWindow: 600, lockout: 60, slowdownStep: 0.1, maxSlowdown: 0.3))
        let slowdowns = (0..<9).map { throttle.recordFailure([alice], now: start.addingTimeInterval(Double($0) / 1000)) }
        #expect(slowdowns.map { ($0 * 10).rounded() / 10 } == [0, 0, 0, 0, 0, 0.1, 0.2, 0.3, 0.3])
    }

    @Test func anIPv6ClientIsCountedByItsSlash64() {
        let throttle = throttle()
        fail(throttle, [.ip(IPAddress("2001:db8:1:2::1")!)], 4, at: start)
        #expect(throttle.retryAfter([.ip(IPAddress("2001:db8:1:2:ffff::9")!)], now: start.addingTimeInterval(1)) != nil)
        #expect(throttle.retryAfter([.ip(IPAddress("2001:db8:1:3::1")!)], now: start.addingTimeInterval(1)) == nil)
    }

    @Test func offNeverLocksAndCountsNothing() {
        let throttle = throttle(.off)
        #expect(throttle.recordFailure([alice], now: start) == 0)
        fail(throttle, [alice], 100, at: start)
        #expect(throttle.retryAfter([alice], now: start) == nil)
        #expect(!throttle.isCounting)
    }

    @Test func aFullTableForgetsTheLeastRecentlyFailedUnlockedKey() {
        let throttle = throttle(ThrottlePolicy(limit: 2, window: 60, lockout: 30, capacity: 2))
        throttle.recordFailure([client], now: start)
        throttle.recordFailure([.account("b")], now: start.addingTimeInterval(1))
        throttle.recordFailure([.account("c")], now: start.addingTimeInterval(2))
        fail(throttle, [client], 1, at: start.addingTimeInterval(2))
        #expect(throttle.retryAfter([client], now: start.addingTimeInterval(2)) == nil, "the client failed longest ago: its first failure was forgotten")
    }

    @Test func aFloodOfNewKeysDoesNotPushALockOut() {
        let throttle = throttle(ThrottlePolicy(limit: 2, window: 60, accountLimit: 2, accountWindow: 60, lockout: 30, capacity: 3))
        fail(throttle, [alice], 2, at: start)
        for index in 0..<50 {
            throttle.recordFailure([.account("made-up-\(index)"), .ip(IPAddress("2001:db8:\(index)::1")!)], now: start.addingTimeInterval(1))
        }
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1.5)) == 29, "alice's lock was spared each time the table was full")
        fail(throttle, [.account("x"), .account("y")], 2, at: start.addingTimeInterval(2))
        fail(throttle, [.account("z")], 2, at: start.addingTimeInterval(3))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(3.5)) == nil, "with every key locked, the oldest lock goes after all")
        #expect(throttle.retryAfter([.account("z")], now: start.addingTimeInterval(3.5)) == 30)
    }

    @Test func idleKeysAreForgottenButLocksAndStreaksAreKept() {
        let throttle = throttle()
        fail(throttle, [client], 2, at: start)
        fail(throttle, [alice], 4, at: start)
        throttle.forgetIdle(now: start.addingTimeInterval(20))
        #expect(throttle.isCounting, "the client's bucket still holds failures; alice is locked")
        // At 60 s the client's 2 failures have drained; alice's lock ended at 30 s, but her streak
        // is remembered for 120 s more.
        throttle.forgetIdle(now: start.addingTimeInterval(60))
        #expect(throttle.isCounting)
        fail(throttle, [alice], 4, at: start.addingTimeInterval(60))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(60.01)) == 60, "the second lock in a row")
        // Long after the second lock and its streak: nothing left, and the fast path is back.
        throttle.forgetIdle(now: start.addingTimeInterval(60 + 60 + 121))
        #expect(!throttle.isCounting)
        fail(throttle, [alice], 4, at: start.addingTimeInterval(400))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(400.01)) == 30, "a first lock again")
    }

    @Test func nothingIsCountedUntilSomethingFails() {
        let throttle = throttle()
        #expect(!throttle.isCounting)
        throttle.recordFailure([client], now: start)
        #expect(throttle.isCounting)
    }
}

/// A lock announced by one instance and applied by another (SPEC §2 with §7).
@Suite struct ThrottleLockTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aLockTravelsAsAPayloadAndBack() {
        let lock = ThrottleLock(key: "name:user:org-1/alice smith", until: start.addingTimeInterval(60))
        #expect(lock.payload == "lock 1800000060000 name:user:org-1/alice smith")
        #expect(ThrottleLock(payload: lock.payload) == lock)
    }

    @Test(arguments: ["application", "*", "revocation", "lock", "lock x ip:1.2.3.4", "lock 123", "lock 123 other:key", "block 123 ip:1.2.3.4"])
    func otherPayloadsAreNoLock(_ payload: String) {
        #expect(ThrottleLock(payload: payload) == nil)
    }

    @Test func theLockingInstanceIsToldAndTheOtherRefusesUntilThen() {
        let told = Mutex<[ThrottleLock]>([])
        let policy = ThrottlePolicy(limit: 2, window: 60, lockout: 30)
        let one = FailedAuthenticationThrottle(policy: policy) { lock in told.withLock { $0.append(lock) } }
        let other = FailedAuthenticationThrottle(policy: policy)
        let key = FailedAuthenticationThrottle.Key.ip(IPAddress("192.0.2.7")!)
        one.recordFailure([key], now: start)
        #expect(told.withLock { $0 }.isEmpty)
        one.recordFailure([key], now: start.addingTimeInterval(1))
        let locks = told.withLock { $0 }
        #expect(locks == [ThrottleLock(key: "ip:192.0.2.7", until: start.addingTimeInterval(31))])

        for lock in locks { other.apply(lock, now: start.addingTimeInterval(1.5)) }
        #expect(other.retryAfter([key], now: start.addingTimeInterval(2)) == 29)
        #expect(other.retryAfter([key], now: start.addingTimeInterval(31)) == nil)
    }

    @Test func anAppliedLockNeverShortensALongerOneAndAnEndedOneIsIgnored() {
        let throttle = FailedAuthenticationThrottle(policy: ThrottlePolicy(limit: 2, window: 60, accountLimit: 2, accountWindow: 60, lockout: 30))
        let key = FailedAuthenticationThrottle.Key.account("client:abc")
        throttle.recordFailure([key, key], now: start)
        throttle.recordFailure([key], now: start)
        throttle.apply(ThrottleLock(key: "name:client:abc", until: start.addingTimeInterval(5)), now: start)
        #expect(throttle.retryAfter([key], now: start) == 30)
        throttle.apply(ThrottleLock(key: "name:other", until: start.addingTimeInterval(-1)), now: start)
        #expect(throttle.retryAfter([.account("other")], now: start) == nil)
    }
}
