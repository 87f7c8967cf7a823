import Foundation
@testable import GatehouseCore
import Testing

@Suite("RFC 3339 date-times, parsed strictly")
struct RFC3339Tests {
    static let validCases: [(String, TimeInterval)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("2030-01-31T12:00:00Z", 1_896_091_200),
        ("2030-01-31t12:00:00z", 1_896_091_200),
        ("2030-01-31T14:30:00+02:30", 1_896_091_200),
        ("2030-01-31T09:00:00-03:00", 1_896_091_200),
        ("2030-01-31T12:00:00.250Z", 1_896_091_200.25),
        ("2028-02-29T00:00:00Z", 1_835_395_200),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("1969-12-31T23:59:59Z", -1),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("9999-12-31T23:59:59+23:59", 253_402_214_459),
    ]

    @Test("Valid date-times name the right instant", arguments: Self.validCases)
    func valid(_ text: String, _ seconds: TimeInterval) throws {
        let date = try #require(RFC3339.date(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.0001)
    }

    @Test("Anything else is refused, including what Foundation's lenient parser takes", arguments: [
        "", "2030-01-31", "2030-01-31T12:00:00", "2030-01-31 12:00:00Z", " 2030-01-31T12:00:00Z", "2030-01-31T12:00:00Z ",
        "2030-02-30T00:00:00Z", "2100-02-29T00:00:00Z", "2030-13-01T00:00:00Z", "2030-00-01T00:00:00Z", "2030-01-00T00:00:00Z",
        "2030-01-31T24:00:00Z", "2030-01-31T12:60:00Z", "2030-01-31T12:00:60Z", "2030-01-31T12:00:00.Z",
        "2030-01-31T12:00:00+2:00", "2030-01-31T12:00:00+0200", "2030-01-31T12:00:00+24:00", "2030-01-31T12:00:00UTC",
        "20300-01-31T12:00:00Z", "2030-1-31T12:00:00Z",
        // Carried into year 10000 (or before year 0) by the offset or the fraction (red-team finding).
        "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00+00:01", "２０３０-01-31T12:00:00Z", "2030-01-31T12:00:00.\(String(repeating: "1", count: 60))Z",
    ])
    func invalid(_ text: String) {
        #expect(RFC3339.date(text) == nil)
    }
}
