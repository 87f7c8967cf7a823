import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse apikey …`: API keys of applications and users, on the database directly.
///
/// A running server sees a change made here within a few seconds (its cache entries age out);
/// changes through the admin API are in force at once.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "API keys.",
        subcommands: [
            Create.self, ListCommand<APIKeyCommand>.self, Show<APIKeyCommand>.self, Update.self, Disable<APIKeyCommand>.self,
            Enable<APIKeyCommand>.self, DeleteCommand<APIKeyCommand>.self,
        ]
    )

    static func line(_ key: APIKey) -> String {
        var line = "\(key.id)  \(key.keyPrefix)…  \(key.name)"
        if let application = key.applicationId { line += "  application=\(application)" }
        if let user = key.userId { line += "  user=\(user)" }
        if !key.scopes.isEmpty { line += "  scopes=\(key.scopes.joined(separator: ","))" }
        if let expiresAt = key.expiresAt { line += "  expires=\(expiresAt.formatted(.iso8601))" }
        if key.disabled { line += "  (disabled)" }
        return line
    }

    static func issued(_ issued: IssuedAPIKey) -> String {
        line(issued.apiKey) + "\nkey (shown once): \(issued.key)"
    }

    struct Create: ManagementCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for an application or a user; the key is printed once.")
        @Argument(help: "Display name.") var name: String
        @Option(help: "Free text.") var description: String?
        @Option(help: "The owning application (id or client id).") var application: String?
        @Option(help: "The owning user (id, or username in --organisation).") var user: String?
        @Option(help: "Organisation of a username given with --user (id or name; default: default).") var organisation: String?
        @Option(name: .customLong("scope"), help: "A scope (repeatable; default: the application's scopes, none for a user).")
        var scopes: [String] = []
        @Option(help: "Expiry as an RFC 3339 date-time, e.g. 2030-01-31T12:00:00Z (default: never).") var expiresAt: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            var owner = user
            if let user, application == nil {
                owner = try await UserCommand.find(user, organisation: organisation, in: management).id
            }
            let input = APIKeyInput(
                name: name, description: description, application: application, user: owner, scopes: scopes.nonEmpty,
                expiresAt: expiresAt
            )
            let issued = try await management.apiKeys.create(input, by: .commandLine, now: Date())
            try output.print(issued) { APIKeyCommand.issued(issued) }
        }
    }

    struct Update: CheckedManagementCommand {
        @Argument(help: APIKeyCommand.argument) var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Free text.") var description: String?
        @Option(name: .customLong("scope"), help: "Replace the scopes with these (repeatable).") var scopes: [String] = []
        @Option(help: "New expiry as an RFC 3339 date-time.") var expiresAt: String?
        @Option(help: "A field to empty or unset (repeatable): description, scopes, expiresAt.") var clear: [String] = []
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func check() throws -> APIKeyPatch {
            var patch = APIKeyPatch()
            if let name { patch.name = .set(name) }
            if let description { patch.description = .set(description) }
            if let value = scopes.nonEmpty { patch.scopes = .set(value) }
            if let expiresAt { patch.expiresAt = .set(expiresAt) }
            for field in try ClearableAPIKeyField.parse(clear) {
                switch field {
                case .description: patch.description = .clear
                case .scopes: patch.scopes = .clear
                case .expiresAt: patch.expiresAt = .clear
                }
            }
            return patch
        }

        func run(_ management: Management, _ patch: APIKeyPatch) async throws {
            let updated = try await management.apiKeys.update(id, with: patch, by: .commandLine, now: Date())
            try output.print(updated) { APIKeyCommand.line(updated) }
        }
    }
}

/// What `apikey update --clear` may name.
enum ClearableAPIKeyField: String, ClearableField {
    case description, scopes, expiresAt
}

extension APIKeyCommand: ListableResource, SwitchableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Id.", valueName: "id") }

    static func find(_ name: String, _: NoFlags, in management: Management) async throws -> APIKey {
        try await management.apiKeys.find(name)
    }

    static func list(_ filter: OrganisationFilter, _ page: PageOptions, in management: Management) async throws -> Page<APIKey> {
        try await management.apiKeys.list(organisation: filter.organisation, try page.request())
    }

    static func setDisabled(_ disabled: Bool, _ name: String, _: NoFlags, in management: Management) async throws -> APIKey {
        var patch = APIKeyPatch()
        patch.disabled = .set(disabled)
        return try await management.apiKeys.update(name, with: patch, by: .commandLine, now: Date())
    }

    static func delete(_ name: String, _: NoFlags, in management: Management) async throws -> String {
        let found = try await management.apiKeys.find(name)
        try await management.apiKeys.delete(found.id, by: .commandLine, now: Date())
        return "deleted API key \(found.id) (\(found.name))"
    }
}
