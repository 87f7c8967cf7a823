import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse admin`: admin API keys.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Admin API keys.", subcommands: [GenerateKey.self, CreateKey.self]
    )

    /// Prints a new key in the admin-key format without storing it, for
    /// `GATEHOUSE_BOOTSTRAP_ADMIN_KEY`. The key is the last word of the output.
    struct GenerateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new admin key (not stored) for GATEHOUSE_BOOTSTRAP_ADMIN_KEY; the key is the last word."
        )

        func run() {
            print("admin key: \(SecretFormat.generate(.adminKey))")
        }
    }

    /// Stores a new admin key in the database and prints it once.
    struct CreateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an admin key to the database and print it once.")

        @Option(help: "A name to tell keys apart in the audit log.") var name = "cli"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let key = try await management.adminKeys.create(name: name, by: .commandLine, now: Date())
                    print("admin key: \(key)")
                }
            }
        }
    }
}
