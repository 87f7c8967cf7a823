import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse admin list|create|show|update|disable|enable|delete`: the admin API's
/// `/admin/v1/admin-keys` on the database directly, with `--json` in the API's shapes.
enum AdminKeyVerbs {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List admin keys (never the keys themselves).")
        @OptionGroup var page: PageOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let result = try await management.adminKeys.list(try page.request())
                    try output.print(result) { result.human(Admin.line) }
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an admin key; the key is printed once (the last word).")
        @Argument(help: "Display name.") var name: String
        @Option(help: "Expiry as an RFC 3339 date-time, e.g. 2030-01-31T12:00:00Z (default: never).") var expiresAt: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let issued = try await management.adminKeys.create(AdminKeyInput(name: name, expiresAt: expiresAt), by: .commandLine, now: Date())
                    try output.print(issued) { Admin.line(issued.adminKey) + "\nkey (shown once): \(issued.key)" }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one admin key.")
        @Argument(help: "Id.") var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await management.adminKeys.find(id)
                    try output.print(found) { Admin.line(found) }
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename an admin key or change its expiry.")
        @Argument(help: "Id.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "New expiry as an RFC 3339 date-time.") var expiresAt: String?
        @Flag(help: "Remove the expiry.") var noExpiry = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var patch = AdminKeyPatch()
            if let name { patch.name = .set(name) }
            if let expiresAt { patch.expiresAt = .set(expiresAt) }
            if noExpiry { patch.expiresAt = .clear }
            try await AdminKeyVerbs.update(id, patch, database: database, output: output)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an admin key: refused from the next request on.")
        @Argument(help: "Id.") var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var patch = AdminKeyPatch()
            patch.disabled = .set(true)
            try await AdminKeyVerbs.update(id, patch, database: database, output: output)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled admin key.")
        @Argument(help: "Id.") var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var patch = AdminKeyPatch()
            patch.disabled = .set(false)
            try await AdminKeyVerbs.update(id, patch, database: database, output: output)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an admin key (not the last usable one).")
        @Argument(help: "Id.") var id: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await management.adminKeys.find(id)
                    try await management.adminKeys.delete(found.id, by: .commandLine, now: Date())
                    print("deleted admin key \(found.id) (\(found.name))")
                }
            }
        }
    }

    static func update(_ id: String, _ patch: AdminKeyPatch, database: DatabaseOptions, output: OutputOptions) async throws {
        try await reportingFailures {
            try await database.withManagement { management in
                let updated = try await management.adminKeys.update(id, with: patch, by: .commandLine, now: Date())
                try output.print(updated) { Admin.line(updated) }
            }
        }
    }
}
