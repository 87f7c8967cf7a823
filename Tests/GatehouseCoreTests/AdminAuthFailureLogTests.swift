import Foundation
@testable import GatehouseCore
import Testing

/// Issue 14 point 10: failed admin authentications leave a trace that a flood cannot inflate.
@Suite("Failed admin authentications in the audit log")
struct AdminAuthFailureLogTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func log(rowsPerWindow: Int = 60, maxAddresses: Int = 10_000) -> AdminAuthFailureLog {
        var limits = AdminAuthFailureLog.Limits()
        limits.rowsPerWindow = rowsPerWindow
        limits.maxAddresses = maxAddresses
        return AdminAuthFailureLog(limits: limits)
    }

    @Test("The first failure from an address is written at once, with the address and the key prefix")
    func firstIsWritten() throws {
        let row = try #require(Self.log().record(ip: "203.0.113.1", keyPrefix: "ghadm_abcd", now: Self.start))
        #expect(row.action == "adminkey.authenticate.failure")
        #expect(row.actor == "unknown")
        #expect(row.ip == "203.0.113.1")
        #expect(row.details == ["count": "1", "keyPrefix": "ghadm_abcd"])
    }

    @Test("Failures within a minute of the address's last row are counted into its next row")
    func repeatsAreCounted() throws {
        let log = Self.log()
        _ = log.record(ip: "203.0.113.1", keyPrefix: nil, now: Self.start)
        for second in 1...59 {
            #expect(log.record(ip: "203.0.113.1", keyPrefix: nil, now: Self.start.addingTimeInterval(Double(second))) == nil)
        }
        #expect(log.sweep(now: Self.start.addingTimeInterval(59)).isEmpty)
        let next = try #require(log.record(ip: "203.0.113.1", keyPrefix: nil, now: Self.start.addingTimeInterval(61)))
        #expect(next.details["count"] == "60")
    }

    @Test("The sweep writes the count of an address that stopped failing, once the minute is over, then forgets it")
    func sweepWritesWhatIsOwed() throws {
        let log = Self.log()
        _ = log.record(ip: "203.0.113.1", keyPrefix: nil, now: Self.start)
        _ = log.record(ip: "203.0.113.1", keyPrefix: "ghadm_wxyz", now: Self.start.addingTimeInterval(5))
        let rows = log.sweep(now: Self.start.addingTimeInterval(60))
        #expect(rows.count == 1)
        #expect(rows.first?.details == ["count": "1", "keyPrefix": "ghadm_wxyz"])
        #expect(log.sweep(now: Self.start.addingTimeInterval(200)).isEmpty)
        // Forgotten: its next failure is written at once again.
        #expect(log.record(ip: "203.0.113.1", keyPrefix: nil, now: Self.start.addingTimeInterval(201))?.details["count"] == "1")
    }

    @Test("Past the global budget, failures from many addresses become one overflow row per minute")
    func globalBudget() throws {
        let log = Self.log(rowsPerWindow: 3)
        var written = 0
        for index in 0..<100 {
            if log.record(ip: "198.51.100.\(index)", keyPrefix: nil, now: Self.start.addingTimeInterval(Double(index) / 10)) != nil { written += 1 }
        }
        #expect(written == 3)
        let rows = log.sweep(now: Self.start.addingTimeInterval(61))
        let overflow = try #require(rows.first { $0.ip == nil })
        #expect(overflow.details["count"] == "97")
        #expect(rows.count <= 3 + 1)
    }

    @Test("No more addresses are remembered than the limit")
    func addressesAreBounded() {
        let log = Self.log(rowsPerWindow: 1_000_000, maxAddresses: 10)
        var written = 0
        for index in 0..<50 where log.record(ip: "2001:db8::\(index)", keyPrefix: nil, now: Self.start) != nil { written += 1 }
        #expect(written == 10)
    }
}
