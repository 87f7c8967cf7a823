import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse consumer-credential …`: consumers' authentication codes and identifier + pass code
/// pairs (SPEC §1), on the database directly. The code or pass code is printed once, by `create`.
struct ConsumerCredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer-credential",
        abstract: "Consumer credentials (authentication codes, identifier + pass code pairs).",
        subcommands: [Create.self, List.self, Show.self, Disable.self, Enable.self, Delete.self]
    )

    static func line(_ credential: ConsumerCredential) -> String {
        var line = "\(credential.id)  \(credential.kind.rawValue)  user=\(credential.userId)  organisation=\(credential.organisationId)"
        if let identifier = credential.identifier { line += "  identifier=\(identifier)" }
        if credential.disabled { line += "  (disabled)" }
        return line
    }

    static func issued(_ issued: IssuedConsumerCredential) -> String {
        let name = issued.credential.kind == .authenticationCode ? "authentication code" : "pass code"
        return line(issued.credential) + "\n\(name) (shown once): \(issued.secret)"
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a credential for a user; the generated code or pass code is printed once."
        )
        @Option(help: "The owning user (id, or username in --organisation).") var user: String
        @Option(help: "Organisation of a username given with --user (id or name; default: default).") var organisation: String?
        @Option(help: "authentication_code or pass_code.") var kind: String
        @Option(help: "The identifier of a pass_code credential (unique in the user's organisation).") var identifier: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let owner = try await User.find(user, organisation: organisation, in: management)
                    let input = ConsumerCredentialInput(user: owner.id, kind: kind, identifier: identifier)
                    let issued = try await management.consumerCredentials.create(input, by: .commandLine, now: Date())
                    try output.print(issued) { ConsumerCredentialCommand.issued(issued) }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Option(help: "Only this organisation (id or name); also the organisation of a username given with --user.")
        var organisation: String?
        @Option(help: "Only this user's (id, or username in --organisation).") var user: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    var userId: String?
                    if let user { userId = try await User.find(user, organisation: organisation, in: management).id }
                    let result = try await management.consumerCredentials.list(organisation: organisation, user: userId, try page.request())
                    try output.print(result) { result.human(ConsumerCredentialCommand.line) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @Argument(help: "Credential id.") var credential: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await management.consumerCredentials.find(credential)
                    try output.print(found) { ConsumerCredentialCommand.line(found) }
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a credential: it can no longer be exchanged.")
        @Argument(help: "Credential id.") var credential: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await ConsumerCredentialCommand.setDisabled(true, credential, database: database, output: output)
        }
    }

    struct Enable: AsyncParsableCommand {
        @Argument(help: "Credential id.") var credential: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await ConsumerCredentialCommand.setDisabled(false, credential, database: database, output: output)
        }
    }

    struct Delete: AsyncParsableCommand {
        @Argument(help: "Credential id.") var credential: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    try await management.consumerCredentials.delete(credential, by: .commandLine, now: Date())
                    print("deleted consumer credential \(credential)")
                }
            }
        }
    }

    static func setDisabled(_ disabled: Bool, _ credential: String, database: DatabaseOptions, output: OutputOptions) async throws {
        try await reportingFailures {
            try await database.withManagement { management in
                let updated = try await management.consumerCredentials.update(
                    credential, with: ConsumerCredentialPatch(disabled: .set(disabled)), by: .commandLine, now: Date()
                )
                try output.print(updated) { ConsumerCredentialCommand.line(updated) }
            }
        }
    }
}
