import ArgumentParser

/// `gatehouse-bench`: micro-benchmarks of the hot paths, and the generator of benchmark data.
///
/// Build it in release mode only; debug numbers mean nothing.
@main
struct GatehouseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse-bench",
        abstract: "Gatehouse micro-benchmarks and benchmark data generator.",
        subcommands: [Micro.self, Seed.self]
    )
}

/// A failure with a one-line explanation, printed as `Error: …`.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
