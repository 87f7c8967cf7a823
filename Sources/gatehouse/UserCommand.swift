import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse user …`: users (resource owners, customers, API users), on the database directly.
///
/// A user is named by its id, or by its username within `--organisation` (default `default`).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Users.",
        subcommands: [
            Create.self, ListCommand<UserCommand>.self, Show<UserCommand>.self, Update.self, Disable<UserCommand>.self, Enable<UserCommand>.self,
            DeleteCommand<UserCommand>.self,
        ]
    )

    static func line(_ user: User) -> String {
        var line = "\(user.id)  \(user.username)  organisation=\(user.organisationId)"
        if user.apiUser { line += "  (api user)" }
        if !user.units.isEmpty { line += "  units=\(user.units.joined(separator: ","))" }
        if user.disabled { line += "  (disabled)" }
        return line
    }

    /// The user with this id, or else this username in the organisation.
    static func find(_ idOrUsername: String, organisation: String?, in management: Management) async throws -> User {
        do {
            return try await management.users.find(idOrUsername)
        } catch DomainError.notFound {
            return try await management.users.find(username: idOrUsername, organisation: organisation)
        }
    }

    struct Create: CheckedManagementCommand {
        @Argument(help: "Username (no ':' and no control characters).") var username: String
        @OptionGroup var password: PasswordOptions
        @Option(help: "Organisation id or name (default: default).") var organisation: String?
        @Flag(help: "May authenticate at the token endpoint as a client (client_id = username, client_secret = password).")
        var apiUser = false
        @Option(name: .customLong("unit"), help: "A unit the user belongs to (repeatable).") var units: [String] = []
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func check() throws -> String {
            guard let password = try password.read() else {
                throw ValidationError(field: "password", message: "is required (--password or --password-stdin)")
            }
            return password
        }

        func run(_ management: Management, _ password: String) async throws {
            let input = UserInput(username: username, password: password, organisation: organisation, apiUser: apiUser, units: units)
            let user = try await management.users.create(input, by: .commandLine, now: Date())
            try output.print(user) { UserCommand.line(user) }
        }
    }

    struct Update: CheckedManagementCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user; a new password or disabling it ends its refresh tokens."
        )
        @Argument(help: UserCommand.argument) var user: String
        @OptionGroup var locator: UsernameOrganisation
        @Option(help: "New username.") var username: String?
        @OptionGroup var password: PasswordOptions
        @Flag(inversion: .prefixedNo, help: "Make it an API user, or not.") var apiUser: Bool?
        @Option(name: .customLong("unit"), help: "Replace the units with these (repeatable).") var units: [String] = []
        @Flag(help: "Remove every unit.") var clearUnits = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func check() throws -> UserPatch {
            var patch = UserPatch()
            if let username { patch.username = .set(username) }
            if let password = try password.read() { patch.password = .set(password) }
            if let apiUser { patch.apiUser = .set(apiUser) }
            if !units.isEmpty { patch.units = .set(units) }
            if clearUnits {
                guard units.isEmpty else {
                    throw ValidationError(field: "units", message: "--unit and --clear-units exclude each other")
                }
                patch.units = .set([])
            }
            return patch
        }

        func run(_ management: Management, _ patch: UserPatch) async throws {
            let found = try await UserCommand.find(user, locator, in: management)
            let updated = try await management.users.update(found.id, with: patch, by: .commandLine, now: Date())
            try output.print(updated) { UserCommand.line(updated) }
        }
    }
}

extension UserCommand: ListableResource, SwitchableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Id, or username in --organisation.", valueName: "user") }
    static var disableAbstract: String { "Disable a user and end its refresh tokens." }

    static func find(_ name: String, _ locator: UsernameOrganisation, in management: Management) async throws -> User {
        try await find(name, organisation: locator.organisation, in: management)
    }

    static func list(_ filter: OrganisationFilter, _ page: PageOptions, in management: Management) async throws -> Page<User> {
        try await management.users.list(organisation: filter.organisation, try page.request())
    }

    static func setDisabled(
        _ disabled: Bool, _ name: String, _ locator: UsernameOrganisation, in management: Management
    ) async throws -> User {
        let found = try await find(name, locator, in: management)
        var patch = UserPatch()
        patch.disabled = .set(disabled)
        return try await management.users.update(found.id, with: patch, by: .commandLine, now: Date())
    }

    static func delete(_ name: String, _ locator: UsernameOrganisation, in management: Management) async throws -> String {
        let found = try await find(name, locator, in: management)
        try await management.users.delete(found.id, by: .commandLine, now: Date())
        return "deleted user \(found.id) (\(found.username))"
    }
}
