import Foundation
@testable import GatehouseCore
import Testing

/// Issue 14, point 2: a password or pass code is protected per (account, address) first, and per
/// account only far above that (NIST SP 800-63B §5.2.2: at most 100 consecutive failures), so a
/// stranger cannot lock an account cheaply (docs/throttling.md).
@Suite struct AccountThrottleTests {
    typealias Key = FailedAuthenticationThrottle.Key
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let alice = "user:org-1/alice"

    func address(_ number: Int) -> IPAddress { IPAddress("198.51.\(number / 256).\(number % 256)")! }

    /// `count` failed passwords for `account` from `address`, one a millisecond from `date`.
    func fail(_ throttle: FailedAuthenticationThrottle, _ account: String, from address: IPAddress, _ count: Int, at date: Date) {
        for index in 0..<count {
            throttle.recordFailure(Key.keys(address: address, account: account), now: date.addingTimeInterval(Double(index) / 1000))
        }
    }

    func isLocked(_ throttle: FailedAuthenticationThrottle, _ account: String, from address: IPAddress, at date: Date) -> Bool {
        throttle.retryAfter(Key.keys(address: address, account: account), now: date) != nil
    }

    @Test func theStandardLimitsAreTwentyPerAddressTenPerAccountAndAddressAndAHundredPerAccount() {
        let policy = ThrottlePolicy.standard
        #expect((policy.limit, policy.window) == (20, 60))
        #expect((policy.accountFromIPLimit, policy.accountLimit, policy.accountWindow) == (10, 100, 3600))
    }

    @Test func wrongPasswordsFromOneAddressLockThatAddressForTheAccountAndNoOther() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        fail(throttle, alice, from: address(1), 10, at: start)
        let later = start.addingTimeInterval(1)
        #expect(isLocked(throttle, alice, from: address(1), at: later))
        #expect(!isLocked(throttle, alice, from: address(2), at: later), "alice signs in from elsewhere")
        #expect(!isLocked(throttle, "user:org-1/bob", from: address(1), at: later), "the address is not locked for bob")
        #expect(throttle.retryAfter([.account(alice)], now: later) == nil)
    }

    @Test func oneAddressGuessingAsFastAsItMayForADayNeverLocksTheAccount() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        var now = start
        while now < start.addingTimeInterval(86_400) {
            if !isLocked(throttle, alice, from: address(1), at: now) { throttle.recordFailure(Key.keys(address: address(1), account: alice), now: now) }
            #expect(throttle.retryAfter([.account(alice)], now: now) == nil, "locked after \(now.timeIntervalSince(start)) s")
            if throttle.retryAfter([.account(alice)], now: now) != nil { return }
            now = now.addingTimeInterval(1)
        }
    }

    @Test func aHundredFailuresFromManyAddressesLockTheAccountAfterSlowingThem() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        var slowdowns: [TimeInterval] = []
        for number in 0..<100 {
            slowdowns.append(throttle.recordFailure(Key.keys(address: address(number), account: alice), now: start.addingTimeInterval(Double(number) / 100)))
        }
        #expect(slowdowns[..<50].allSatisfy { $0 == 0 }, "nothing is held back below half the limit")
        #expect(slowdowns[60] > 0 && slowdowns[98] == 1, "then held back, up to a second")
        let later = start.addingTimeInterval(2)
        #expect(throttle.retryAfter([.account(alice)], now: later) == 59, "locked for a minute from the hundredth failure")
        #expect(isLocked(throttle, alice, from: address(500), at: later), "the account is refused from a new address too")
        #expect(!isLocked(throttle, "user:org-1/bob", from: address(500), at: later))
    }

    @Test func aRightPasswordForgetsItsOwnAddressesFailuresButNotAGuessers() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        let guesser = address(1), user = address(2)
        fail(throttle, alice, from: guesser, 9, at: start)
        fail(throttle, alice, from: user, 3, at: start.addingTimeInterval(1))
        throttle.recordSuccess(account: alice, address: user, now: start.addingTimeInterval(2))
        fail(throttle, alice, from: user, 9, at: start.addingTimeInterval(3))
        #expect(!isLocked(throttle, alice, from: user, at: start.addingTimeInterval(4)), "the user's three typos were forgotten")
        fail(throttle, alice, from: guesser, 1, at: start.addingTimeInterval(4))
        #expect(isLocked(throttle, alice, from: guesser, at: start.addingTimeInterval(5)), "the guesser's nine were not")
    }

    @Test func theAccountCountLosesOnlyTheFailuresOfTheAddressThatSignedIn() {
        let throttle = FailedAuthenticationThrottle(policy: ThrottlePolicy(limit: 20, accountFromIPLimit: 10, accountLimit: 12))
        fail(throttle, alice, from: address(1), 9, at: start)
        fail(throttle, alice, from: address(2), 2, at: start)
        throttle.recordSuccess(account: alice, address: address(2), now: start.addingTimeInterval(1))
        fail(throttle, alice, from: address(3), 2, at: start.addingTimeInterval(1))
        #expect(throttle.retryAfter([.account(alice)], now: start.addingTimeInterval(2)) == nil, "9 + 2 − 2 + 2 = 11 of 12")
        fail(throttle, alice, from: address(3), 1, at: start.addingTimeInterval(2))
        #expect(throttle.retryAfter([.account(alice)], now: start.addingTimeInterval(3)) != nil)
    }

    @Test func keysOfEachKindTravelAsLocksAndBack() {
        for key in [Key.ip(address(1)), .accountFromIP(alice, address(1)), .account(alice)] {
            let lock = ThrottleLock(key: key.text, until: start)
            #expect(ThrottleLock(payload: lock.payload)?.key == key.text)
            #expect(Key.Kind(text: key.text) == key.kind)
        }
    }
}
