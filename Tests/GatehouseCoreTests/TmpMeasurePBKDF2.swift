import Foundation
@testable import GatehouseCore
import Testing

@Test func tmpMeasure600k() async throws {
    let hasher = PasswordHasher()
    let clock = ContinuousClock()
    var times: [Duration] = []
    var stored = ""
    for _ in 0..<5 { times.append(try await clock.measure { stored = try await hasher.hash("correct horse battery staple") }) }
    let verify = try await clock.measure { _ = try await hasher.verify("x", against: nil) }
    let ok = try await clock.measure { _ = try await hasher.verify("correct horse battery staple", against: stored) }
    print("MEASURE hash:", times, "unknown:", verify, "verify:", ok, "cpus:", ProcessInfo.processInfo.activeProcessorCount)
}
