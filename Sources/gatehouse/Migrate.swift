import ArgumentParser

/// `gatehouse migrate`: apply pending schema migrations (the server also does this on start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await reportingFailures {
            try await database.withManagement { _ in }
            print("database \(try database.url()) is up to date")
        }
    }
}
