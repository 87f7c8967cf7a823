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

    /// One failure from each of 100 addresses never seen before (numbered from `first`), from `date`.
    func lockTheAccount(_ throttle: FailedAuthenticationThrottle, _ account: String, strangersFrom first: Int, at date: Date) {
        for number in 0..<100 {
            throttle.recordFailure(Key.keys(address: address(first + number), account: account), now: date.addingTimeInterval(Double(number) / 100))
        }
    }

    /// The red team's scenario: an API user's client id is in every JWT it holds; eleven
    /// addresses, ten wrong secrets each, lock the account. The integration, which got a token from
    /// its own address before, keeps getting them from there; a fresh stranger is refused.
    @Test func elevenStrangersLockAnAPIUserForStrangersButNotForTheAddressItSignedInFrom() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        let apiUser = "client:apiu", integration = address(900), stranger = address(901)
        throttle.recordSuccess(account: apiUser, address: integration, now: start)
        var now = start.addingTimeInterval(1)
        for attempt in 0..<110 {
            let guesser = address(attempt % 11)
            if !isLocked(throttle, apiUser, from: guesser, at: now) { throttle.recordFailure(Key.keys(address: guesser, account: apiUser), now: now) }
            now = now.addingTimeInterval(0.9)
        }
        #expect(throttle.retryAfter([.account(apiUser)], now: now) != nil, "the account is locked")
        #expect(isLocked(throttle, apiUser, from: stranger, at: now), "a stranger is refused, right secret or not")
        #expect(!isLocked(throttle, apiUser, from: integration, at: now), "the integration is not")
        // The integration's own address keeps its per-(account, address) limit.
        fail(throttle, apiUser, from: integration, 10, at: now)
        #expect(isLocked(throttle, apiUser, from: integration, at: now.addingTimeInterval(1)))
    }

    @Test func aKnownAddressIsNotRefusedByTheAccountsLockButItsTyposStillCount() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        let user = address(900)
        // The user's address proves the password before the lock: its later typos count, the lock does not refuse it.
        fail(throttle, alice, from: user, 2, at: start)
        throttle.recordSuccess(account: alice, address: user, now: start.addingTimeInterval(1))
        lockTheAccount(throttle, alice, strangersFrom: 0, at: start.addingTimeInterval(2))
        #expect(isLocked(throttle, alice, from: address(500), at: start.addingTimeInterval(4)))
        #expect(!isLocked(throttle, alice, from: user, at: start.addingTimeInterval(4)))
        fail(throttle, alice, from: user, 9, at: start.addingTimeInterval(5))
        #expect(!isLocked(throttle, alice, from: user, at: start.addingTimeInterval(6)), "nine typos of the known user")
        fail(throttle, alice, from: user, 1, at: start.addingTimeInterval(6))
        #expect(isLocked(throttle, alice, from: user, at: start.addingTimeInterval(7)), "the tenth locks the pair")
    }

    @Test func onlyTheLastEightAddressesWithinThirtyDaysAreKnownGood() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        for number in 1...9 { throttle.recordSuccess(account: alice, address: address(number), now: start.addingTimeInterval(Double(number))) }
        lockTheAccount(throttle, alice, strangersFrom: 100, at: start.addingTimeInterval(10))
        let soon = start.addingTimeInterval(20)
        #expect(isLocked(throttle, alice, from: address(1), at: soon), "the ninth address pushed out the first")
        #expect((2...9).allSatisfy { !isLocked(throttle, alice, from: address($0), at: soon) })
        #expect(isLocked(throttle, "user:org-1/bob", from: address(2), at: soon) == false, "bob was never locked")
        lockTheAccount(throttle, "user:org-1/bob", strangersFrom: 300, at: soon)
        #expect(isLocked(throttle, "user:org-1/bob", from: address(2), at: soon.addingTimeInterval(2)), "known for alice, a stranger to bob")
        let month = start.addingTimeInterval(30 * 86_400 + 5)
        lockTheAccount(throttle, alice, strangersFrom: 500, at: month.addingTimeInterval(-2))
        #expect(isLocked(throttle, alice, from: address(5), at: month), "proved thirty days ago")
        #expect(!isLocked(throttle, alice, from: address(9), at: month))
    }

    @Test func failuresNeverMakeAnAddressKnownGood() {
        let throttle = FailedAuthenticationThrottle(policy: .standard)
        fail(throttle, alice, from: address(900), 5, at: start)
        lockTheAccount(throttle, alice, strangersFrom: 0, at: start.addingTimeInterval(1))
        #expect(isLocked(throttle, alice, from: address(900), at: start.addingTimeInterval(3)))
    }

    @Test func keysOfEachKindTravelAsLocksAndBack() {
        for key in [Key.ip(address(1)), .accountFromIP(alice, address(1)), .account(alice)] {
            let lock = ThrottleLock(key: key.text, until: start)
            #expect(ThrottleLock(payload: lock.payload)?.key == key.text)
            #expect(Key.Kind(text: key.text) == key.kind)
        }
    }
}
