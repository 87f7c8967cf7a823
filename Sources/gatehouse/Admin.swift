import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse admin`: admin API keys, on the database directly (SPEC §2, issue 14 point 8).
///
/// Admin keys are not cached by the server: a change made here is in force on every running
/// instance from its next request.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Admin API keys.",
        subcommands: [
            GenerateKey.self, CreateKey.self, ListCommand<Admin>.self, AdminKeyVerbs.Create.self, Show<Admin>.self,
            AdminKeyVerbs.Update.self, Disable<Admin>.self, Enable<Admin>.self, DeleteCommand<Admin>.self,
        ]
    )

    static func line(_ key: AdminKey) -> String {
        var line = "\(key.id)  \(key.keyPrefix.map { "\($0)…" } ?? "-")  \(key.name)"
        if let expiresAt = key.expiresAt { line += "  expires=\(expiresAt.formatted(.iso8601))" }
        if let lastUsedAt = key.lastUsedAt { line += "  lastUsed=\(lastUsedAt.formatted(.iso8601))" }
        if key.disabled { line += "  (disabled)" }
        return line
    }

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

    /// Stores a new admin key in the database and prints it once (the last word); `create` does
    /// the same with `--expires-at` and `--json`.
    struct CreateKey: ManagementCommand {
        static let configuration = CommandConfiguration(abstract: "Add an admin key to the database and print it once (the last word).")

        @Option(help: "A name to tell keys apart in the audit log.") var name = "cli"
        @OptionGroup var database: DatabaseOptions

        func run(_ management: Management) async throws {
            let issued = try await management.adminKeys.create(AdminKeyInput(name: name), by: .commandLine, now: Date())
            print("admin key: \(issued.key)")
        }
    }
}
