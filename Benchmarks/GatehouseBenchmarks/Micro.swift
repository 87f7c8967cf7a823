import ArgumentParser
import Foundation

/// `gatehouse-bench micro`: times the per-request work of the server in-process — JWS signing and
/// verification per algorithm, secret hashing and format checks, one password KDF, policy
/// evaluation, path normalisation, base64url and the bounded caches — and prints operations per
/// second and ns per operation. No database or network is involved.
struct Micro: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the micro-benchmarks and print a table of operations/s and ns/op."
    )

    @Option(help: "Seconds to spend on each benchmark, after a short warm-up.")
    var seconds: Double = 1

    @Option(help: "Run only benchmarks whose name contains this text.")
    var filter: String?

    @Option(help: "Timed runs of the (deliberately slow) password KDF.")
    var kdfRuns: Int = 3

    func validate() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        guard kdfRuns >= 1 else { throw ValidationError("--kdf-runs must be at least 1") }
    }

    func run() async throws {
        print(MachineInfo.current.summary)
        print("budget \(seconds) s per benchmark\n")
        let runner = MicroRunner(budget: .milliseconds(Int64(seconds * 1000)), filter: filter)
        runner.printHeader()
        try MicroJOSE.run(runner)
        try await MicroCredentials.run(runner, kdfRuns: kdfRuns)
        MicroAccess.run(runner)
        MicroCaches.run(runner)
    }
}

/// Runs the benchmarks whose name passes the filter and prints one table row for each.
struct MicroRunner {
    let budget: Duration
    let filter: String?

    func wants(_ name: String) -> Bool {
        filter.map { name.localizedCaseInsensitiveContains($0) } ?? true
    }

    func run(_ name: String, _ body: () throws -> Int) rethrows {
        guard wants(name) else { return }
        printRow(try Stopwatch.measure(name, for: budget, body))
    }

    func run(_ name: String, count: Int, _ body: () async throws -> Int) async rethrows {
        guard wants(name) else { return }
        printRow(try await Stopwatch.measure(name, count: count, body))
    }

    func printHeader() {
        print(pad("benchmark", 44) + pad("ops/s", 14, left: true) + pad("ns/op", 16, left: true))
        print(String(repeating: "-", count: 74))
    }

    func printRow(_ measurement: Measurement) {
        let rate = String(format: "%.0f", measurement.operationsPerSecond)
        let cost = String(format: "%.0f", measurement.nanosecondsPerOperation)
        print(pad(measurement.name, 44) + pad(rate, 14, left: true) + pad(cost, 16, left: true))
        flushOutput()
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? fill + text : text + fill
    }
}
