import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse app …`: applications (OAuth clients and app authorizations), on the database directly.
struct App: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Applications.",
        subcommands: [Create.self, List.self, Show.self, Update.self, RotateSecret.self, Disable.self, Enable.self, Delete.self]
    )

    static func line(_ application: Application) -> String {
        "\(application.id)  clientId=\(application.clientId)  \(application.name)\(application.disabled ? "  (disabled)" : "")"
    }

    static func issued(_ issued: IssuedApplication) -> String {
        line(issued.application) + "\nclient secret (shown once): \(issued.clientSecret)"
    }

    struct Create: AsyncParsableCommand {
        @OptionGroup var fields: ApplicationOptions
        @Option(help: "Organisation id or name (default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    var input = fields.input
                    input.organisation = organisation
                    let issued = try await management.applications.create(input, by: .commandLine, now: Date())
                    try output.print(issued) { App.issued(issued) }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Option(help: "Only this organisation (id or name).") var organisation: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let result = try await management.applications.list(organisation: organisation, try page.request())
                    try output.print(result) { result.human(App.line) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await management.applications.find(application)
                    try output.print(found) { App.line(found) }
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var fields: ApplicationOptions
        @Option(help: "A field to empty or unset (repeatable), e.g. --clear allowedIPs.") var clear: [String] = []
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let patch = try fields.patch(clearing: clear)
                    let updated = try await management.applications.update(application, with: patch, by: .commandLine, now: Date())
                    try output.print(updated) { App.line(updated) }
                }
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the client secret; the old one stops working at once.")
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let issued = try await management.applications.regenerateSecret(application, by: .commandLine, now: Date())
                    try output.print(issued) { App.issued(issued) }
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await App.setDisabled(true, application, database: database, output: output)
        }
    }

    struct Enable: AsyncParsableCommand {
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await App.setDisabled(false, application, database: database, output: output)
        }
    }

    struct Delete: AsyncParsableCommand {
        @Argument(help: "Id or client id.") var application: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    try await management.applications.delete(application, by: .commandLine, now: Date())
                    print("deleted application \(application)")
                }
            }
        }
    }

    static func setDisabled(_ disabled: Bool, _ application: String, database: DatabaseOptions, output: OutputOptions) async throws {
        try await reportingFailures {
            try await database.withManagement { management in
                var patch = ApplicationPatch()
                patch.disabled = .set(disabled)
                let updated = try await management.applications.update(application, with: patch, by: .commandLine, now: Date())
                try output.print(updated) { App.line(updated) }
            }
        }
    }
}
