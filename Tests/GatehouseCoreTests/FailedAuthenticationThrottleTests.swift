import Foundation
@testable import GatehouseCore
import Testing

/// SPEC §7: repeated failed authentication is slowed, then refused for a while.
@Suite struct FailedAuthenticationThrottleTests {
    typealias Key = FailedAuthenticationThrottle.Key
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let alice = Key.name("user:alice")
    let client = Key.ip(IPAddress("192.0.2.7")!)

    func throttle(_ policy: ThrottlePolicy = ThrottlePolicy(limit: 4, window: 60, lockout: 30, maxLockout: 120)) -> FailedAuthenticationThrottle {
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
        #expect(throttle.retryAfter([.name("user:bob")], now: start.addingTimeInterval(2)) == nil, "another name is not locked")
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
        #expect(throttle.retryAfter([.name("user:bob"), client], now: start.addingTimeInterval(1)) != nil, "the IP is locked for every name")
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

    @Test func aRightCredentialClearsItsNameButNotTheIP() {
        let throttle = throttle()
        fail(throttle, [alice, client], 3, at: start)
        throttle.recordSuccess(name: "user:alice")
        throttle.recordFailure([alice, client], now: start.addingTimeInterval(1))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1)) == nil, "the name starts again from one failure")
        #expect(throttle.retryAfter([client], now: start.addingTimeInterval(1)) == 30, "the IP kept its three")
    }

    @Test func failedAnswersAreHeldBackPastHalfTheLimitUpToTheMaximum() {
        let throttle = throttle(ThrottlePolicy(limit: 10, window: 600, lockout: 60, slowdownStep: 0.1, maxSlowdown: 0.3))
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

    @Test func aFullTableForgetsTheLeastRecentlyFailedKey() {
        let throttle = throttle(ThrottlePolicy(limit: 2, window: 60, lockout: 30, capacity: 2))
        fail(throttle, [alice], 2, at: start)
        throttle.recordFailure([.name("b")], now: start.addingTimeInterval(1))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(1)) != nil)
        throttle.recordFailure([.name("c")], now: start.addingTimeInterval(2))
        #expect(throttle.retryAfter([alice], now: start.addingTimeInterval(2)) == nil, "alice failed longest ago and was forgotten")
    }

    @Test func nothingIsCountedUntilSomethingFails() {
        let throttle = throttle()
        #expect(!throttle.isCounting)
        throttle.recordFailure([client], now: start)
        #expect(throttle.isCounting)
    }
}
