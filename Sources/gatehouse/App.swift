import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse app …`: applications (OAuth clients and app authorizations), on the database directly.
struct App: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Applications.",
        subcommands: [
            Create.self, ListCommand<App>.self, Show<App>.self, Update.self, RotateSecret.self, Disable<App>.self, Enable<App>.self,
            DeleteCommand<App>.self,
        ]
    )

    static func line(_ application: Application) -> String {
        "\(application.id)  clientId=\(application.clientId)  \(application.name)\(application.disabled ? "  (disabled)" : "")"
    }

    static func issued(_ issued: IssuedApplication) -> String {
        line(issued.application) + "\nclient secret (shown once): \(issued.clientSecret)"
    }

    struct Create: ManagementCommand {
        @OptionGroup var fields: ApplicationOptions
        @Option(help: "Organisation id or name (default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            var input = fields.input
            input.organisation = organisation
            let issued = try await management.applications.create(input, by: .commandLine, now: Date())
            try output.print(issued) { App.issued(issued) }
        }
    }

    struct Update: ManagementCommand {
        @Argument(help: App.argument) var application: String
        @OptionGroup var fields: ApplicationOptions
        @Option(help: "A field to empty or unset (repeatable), e.g. --clear allowedIPs.") var clear: [String] = []
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let patch = try fields.patch(clearing: clear)
            let updated = try await management.applications.update(application, with: patch, by: .commandLine, now: Date())
            try output.print(updated) { App.line(updated) }
        }
    }

    struct RotateSecret: ManagementCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the client secret; the old one stops working at once.")
        @Argument(help: App.argument) var application: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let issued = try await management.applications.regenerateSecret(application, by: .commandLine, now: Date())
            try output.print(issued) { App.issued(issued) }
        }
    }
}

extension App: ListableResource, SwitchableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Id or client id.", valueName: "application") }

    static func find(_ name: String, _: NoFlags, in management: Management) async throws -> Application {
        try await management.applications.find(name)
    }

    static func list(_ filter: OrganisationFilter, _ page: PageOptions, in management: Management) async throws -> Page<Application> {
        try await management.applications.list(organisation: filter.organisation, try page.request())
    }

    static func setDisabled(_ disabled: Bool, _ name: String, _: NoFlags, in management: Management) async throws -> Application {
        var patch = ApplicationPatch()
        patch.disabled = .set(disabled)
        return try await management.applications.update(name, with: patch, by: .commandLine, now: Date())
    }

    static func delete(_ name: String, _: NoFlags, in management: Management) async throws -> String {
        try await management.applications.delete(name, by: .commandLine, now: Date())
        return "deleted application \(name)"
    }
}
