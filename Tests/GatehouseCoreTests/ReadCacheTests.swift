import Foundation
@testable import GatehouseCore
import Testing

/// Issue 14, point 3: misses are keyed by what a client sent, so they are bounded in bytes, and a
/// flood of them never evicts a value that was found.
@Suite struct ReadCacheTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func missesAreBoundedInBytesHoweverLongTheirKeys() async throws {
        let cache = ReadCache<String>(capacity: 10_000, lifetime: 60, missBytes: 64 * 1024)
        for index in 0..<100 {
            let key = String(repeating: "x", count: 10 * 1024) + "\(index)"
            #expect(try await cache.value(key, now: now) { nil } == nil)
        }
        #expect(cache.missBytes <= 64 * 1024)
        #expect(cache.count == 6, "six keys of 10 KiB fit in 64 KiB")
        let oversized = String(repeating: "y", count: 65 * 1024)
        _ = try await cache.value(oversized, now: now) { nil }
        #expect(cache.missBytes <= 64 * 1024, "a key larger than the budget is not kept")
    }

    @Test func aFloodOfMissesNeverEvictsAFoundValue() async throws {
        let cache = ReadCache<String>(capacity: 10, lifetime: 60)
        #expect(try await cache.value("real-client", now: now) { "application" } == "application")
        for index in 0..<1000 {
            _ = try await cache.value("made-up-\(index)", now: now) { nil }
        }
        var reads = 0
        #expect(try await cache.value("real-client", now: now) { reads += 1; return "changed" } == "application")
        #expect(reads == 0, "the found value was still cached")
        var missReads = 0
        _ = try await cache.value("made-up-999", now: now) { missReads += 1; return nil }
        #expect(missReads == 0, "the latest miss is cached too")
    }

    @Test func aValueReplacesAMissAndAMissAValue() async throws {
        let cache = ReadCache<String>(capacity: 10, lifetime: 60)
        _ = try await cache.value("id", now: now) { nil }
        cache.set("id", "created", now: now)
        #expect(try await cache.value("id", now: now) { nil } == "created")
        cache.set("id", nil, now: now)
        #expect(try await cache.value("id", now: now) { "read" } == nil)
        #expect(cache.count == 1)
    }
}
