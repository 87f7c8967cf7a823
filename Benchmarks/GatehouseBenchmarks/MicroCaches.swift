import Foundation
import GatehouseCore

/// The bounded in-memory tables under a flood of new keys: every failure from a new address is
/// a new entry in the throttle's full table (``FailedAuthenticationThrottle``), which evicts the
/// oldest one (`BoundedCache`'s first-in, first-out order).
enum MicroCaches {
    static func run(_ runner: MicroRunner) {
        let capacity = 10_000
        let addresses = (0..<(capacity * 20)).compactMap { IPAddress("10.\($0 >> 16 & 255).\($0 >> 8 & 255).\($0 & 255)") }
        let throttle = FailedAuthenticationThrottle(policy: ThrottlePolicy(capacity: capacity))
        let now = Date()
        for address in addresses.prefix(capacity) { throttle.recordFailure([.ip(address)], now: now) }
        var next = capacity
        runner.run("throttle.recordFailure new address, 10k full") {
            next = (next + 1) % addresses.count
            return Int(throttle.recordFailure([.ip(addresses[next])], now: now) * 1000)
        }
    }
}
