import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse consumer-credential …`: consumers' authentication codes and identifier + pass code
/// pairs (SPEC §1), on the database directly. The code or pass code is printed once, by `create`.
struct ConsumerCredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer-credential",
        abstract: "Consumer credentials (authentication codes, identifier + pass code pairs).",
        subcommands: [
            Create.self, ListCommand<ConsumerCredentialCommand>.self, Show<ConsumerCredentialCommand>.self,
            Disable<ConsumerCredentialCommand>.self, Enable<ConsumerCredentialCommand>.self, DeleteCommand<ConsumerCredentialCommand>.self,
        ]
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

    struct Create: ManagementCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a credential for a user; the generated code or pass code is printed once."
        )
        @Option(help: "The owning user (id, or username in --organisation).") var user: String
        @Option(help: "Organisation of a username given with --user (id or name; default: default).") var organisation: String?
        @Option(help: "authentication_code or pass_code.") var kind: String
        @Option(help: "The identifier of a pass_code credential (unique in the user's organisation).") var identifier: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let owner = try await UserCommand.find(user, organisation: organisation, in: management)
            let input = ConsumerCredentialInput(user: owner.id, kind: kind, identifier: identifier)
            let issued = try await management.consumerCredentials.create(input, by: .commandLine, now: Date())
            try output.print(issued) { ConsumerCredentialCommand.issued(issued) }
        }
    }

    /// `list`'s flags: an organisation, and a user (id, or username in that organisation).
    struct Filter: ParsableArguments {
        @Option(help: "Only this organisation (id or name); also the organisation of a username given with --user.")
        var organisation: String?
        @Option(help: "Only this user's (id, or username in --organisation).") var user: String?
    }
}

extension ConsumerCredentialCommand: ListableResource, SwitchableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Credential id.", valueName: "credential") }
    static var disableAbstract: String { "Disable a credential: it can no longer be exchanged." }

    static func find(_ name: String, _: NoFlags, in management: Management) async throws -> ConsumerCredential {
        try await management.consumerCredentials.find(name)
    }

    static func list(_ filter: Filter, _ page: PageOptions, in management: Management) async throws -> Page<ConsumerCredential> {
        var userId: String?
        if let user = filter.user { userId = try await UserCommand.find(user, organisation: filter.organisation, in: management).id }
        return try await management.consumerCredentials.list(organisation: filter.organisation, user: userId, try page.request())
    }

    static func setDisabled(_ disabled: Bool, _ name: String, _: NoFlags, in management: Management) async throws -> ConsumerCredential {
        try await management.consumerCredentials.update(
            name, with: ConsumerCredentialPatch(disabled: .set(disabled)), by: .commandLine, now: Date()
        )
    }

    static func delete(_ name: String, _: NoFlags, in management: Management) async throws -> String {
        try await management.consumerCredentials.delete(name, by: .commandLine, now: Date())
        return "deleted consumer credential \(name)"
    }
}
