import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse org …`: organisations, on the database directly.
struct Org: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Organisations.", subcommands: [Create.self, List.self, Show.self, Update.self, Delete.self]
    )

    static func line(_ organisation: Organisation) -> String {
        "\(organisation.id)  \(organisation.name)  maxApplications=\(organisation.maxApplications.map(String.init) ?? "unlimited")"
    }

    struct Create: AsyncParsableCommand {
        @Argument(help: "Name: letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "Most applications allowed.") var maxApplications: Int?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let input = OrganisationInput(name: name, maxApplications: maxApplications)
                    let organisation = try await management.organisations.create(input, by: .commandLine, now: Date())
                    try output.print(organisation) { Org.line(organisation) }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var page: PageOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let result = try await management.organisations.list(try page.request())
                    try output.print(result) { result.human(Org.line) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @Argument(help: "Id or name.") var organisation: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await management.organisations.find(organisation)
                    try output.print(found) { Org.line(found) }
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        @Argument(help: "Id or name.") var organisation: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New quota.") var maxApplications: Int?
        @Flag(help: "Remove the quota.") var unlimited = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    var patch = OrganisationPatch()
                    if let name { patch.name = .set(name) }
                    if let maxApplications { patch.maxApplications = .set(maxApplications) }
                    if unlimited { patch.maxApplications = .clear }
                    let updated = try await management.organisations.update(organisation, with: patch, by: .commandLine, now: Date())
                    try output.print(updated) { Org.line(updated) }
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        @Argument(help: "Id or name.") var organisation: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    try await management.organisations.delete(organisation, by: .commandLine, now: Date())
                    print("deleted organisation \(organisation)")
                }
            }
        }
    }
}
