import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse org …`: organisations, on the database directly.
struct Org: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Organisations.", subcommands: [Create.self, ListCommand<Org>.self, Show<Org>.self, Update.self, DeleteCommand<Org>.self]
    )

    static func line(_ organisation: Organisation) -> String {
        "\(organisation.id)  \(organisation.name)  maxApplications=\(organisation.maxApplications.map(String.init) ?? "unlimited")"
    }

    struct Create: ManagementCommand {
        @Argument(help: "Name: letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "Most applications allowed.") var maxApplications: Int?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let input = OrganisationInput(name: name, maxApplications: maxApplications)
            let organisation = try await management.organisations.create(input, by: .commandLine, now: Date())
            try output.print(organisation) { Org.line(organisation) }
        }
    }

    struct Update: ManagementCommand {
        @Argument(help: Org.argument) var organisation: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New quota.") var maxApplications: Int?
        @Flag(help: "Remove the quota.") var unlimited = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            var patch = OrganisationPatch()
            if let name { patch.name = .set(name) }
            if let maxApplications { patch.maxApplications = .set(maxApplications) }
            if unlimited { patch.maxApplications = .clear }
            let updated = try await management.organisations.update(organisation, with: patch, by: .commandLine, now: Date())
            try output.print(updated) { Org.line(updated) }
        }
    }
}

extension Org: ListableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Id or name.", valueName: "organisation") }

    static func find(_ name: String, _: NoFlags, in management: Management) async throws -> Organisation {
        try await management.organisations.find(name)
    }

    static func list(_: NoFlags, _ page: PageOptions, in management: Management) async throws -> Page<Organisation> {
        try await management.organisations.list(try page.request())
    }

    static func delete(_ name: String, _: NoFlags, in management: Management) async throws -> String {
        try await management.organisations.delete(name, by: .commandLine, now: Date())
        return "deleted organisation \(name)"
    }
}
