import Foundation
@testable import GatehouseCore
import Testing

/// ``ChangeFeedTrust``: caches are believed only as far as the change feed vouches (SPEC §2).
@Suite struct ChangeFeedTrustTests {
    let start = Date(timeIntervalSince1970: 1_900_000_000)

    @Test func aStoreWithoutASharedFeedIsAlwaysTrusted() {
        let trust = ChangeFeedTrust(needsVouching: false)
        #expect(trust.trusts(now: start))
    }

    @Test func nothingIsTrustedBeforeTheFirstVouch() {
        #expect(!ChangeFeedTrust(needsVouching: true).trusts(now: start))
    }

    @Test func aVouchIsBelievedForTheStalenessBoundAndNoLonger() {
        let trust = ChangeFeedTrust(needsVouching: true, staleness: 2)
        trust.vouch(upTo: start)
        #expect(trust.trusts(now: start.addingTimeInterval(1.9)))
        #expect(!trust.trusts(now: start.addingTimeInterval(2.1)))
    }

    @Test func anOlderVouchNeverMovesTheTrustBack() {
        let trust = ChangeFeedTrust(needsVouching: true, staleness: 2)
        trust.vouch(upTo: start.addingTimeInterval(10))
        trust.vouch(upTo: start)
        #expect(trust.trusts(now: start.addingTimeInterval(11)))
    }

    @Test(arguments: ["vouched", "vouched x", "vouched 1e3", "lock 1 ip:1.2.3.4", "*", "application", "vouched 99999999999999999999"])
    func onlyAWellFormedVouchedPayloadNamesAMoment(_ payload: String) {
        #expect(ChangeFeedTrust.vouchedMoment(payload) == nil)
    }

    @Test func theVouchedPayloadRoundTrips() {
        let payload = ChangeFeedTrust.payload(vouchedUpTo: start)
        #expect(ChangeFeedTrust.vouchedMoment(payload) == start)
    }
}
