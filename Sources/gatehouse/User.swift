import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse user …`: users (resource owners, customers, API users), on the database directly.
///
/// A user is named by its id, or by its username within `--organisation` (default `default`).
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Users.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Disable.self, Enable.self, Delete.self]
    )

    static func line(_ user: GatehouseCore.User) -> String {
        var line = "\(user.id)  \(user.username)  organisation=\(user.organisationId)"
        if user.apiUser { line += "  (api user)" }
        if !user.units.isEmpty { line += "  units=\(user.units.joined(separator: ","))" }
        if user.disabled { line += "  (disabled)" }
        return line
    }

    /// The user with this id, or else this username in the organisation.
    static func find(_ idOrUsername: String, organisation: String?, in management: Management) async throws -> GatehouseCore.User {
        do {
            return try await management.users.find(idOrUsername)
        } catch DomainError.notFound {
            return try await management.users.find(username: idOrUsername, organisation: organisation)
        }
    }

    struct Create: AsyncParsableCommand {
        @Argument(help: "Username (no ':' and no control characters).") var username: String
        @OptionGroup var password: PasswordOptions
        @Option(help: "Organisation id or name (default: default).") var organisation: String?
        @Flag(help: "May authenticate at the token endpoint as a client (client_id = username, client_secret = password).")
        var apiUser = false
        @Option(name: .customLong("unit"), help: "A unit the user belongs to (repeatable).") var units: [String] = []
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                guard let password = try password.read() else {
                    throw GatehouseCore.ValidationError(field: "password", message: "is required (--password or --password-stdin)")
                }
                try await database.withManagement { management in
                    let input = UserInput(username: username, password: password, organisation: organisation, apiUser: apiUser, units: units)
                    let user = try await management.users.create(input, by: .commandLine, now: Date())
                    try output.print(user) { User.line(user) }
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
                    let result = try await management.users.list(organisation: organisation, try page.request())
                    try output.print(result) { result.human(User.line) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @Argument(help: "Id, or username in --organisation.") var user: String
        @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await User.find(user, organisation: organisation, in: management)
                    try output.print(found) { User.line(found) }
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user; a new password or disabling it ends its refresh tokens."
        )
        @Argument(help: "Id, or username in --organisation.") var user: String
        @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
        @Option(help: "New username.") var username: String?
        @OptionGroup var password: PasswordOptions
        @Flag(inversion: .prefixedNo, help: "Make it an API user, or not.") var apiUser: Bool?
        @Option(name: .customLong("unit"), help: "Replace the units with these (repeatable).") var units: [String] = []
        @Flag(help: "Remove every unit.") var clearUnits = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                var patch = UserPatch()
                if let username { patch.username = .set(username) }
                if let password = try password.read() { patch.password = .set(password) }
                if let apiUser { patch.apiUser = .set(apiUser) }
                if !units.isEmpty { patch.units = .set(units) }
                if clearUnits {
                    guard units.isEmpty else {
                        throw GatehouseCore.ValidationError(field: "units", message: "--unit and --clear-units exclude each other")
                    }
                    patch.units = .set([])
                }
                try await database.withManagement { management in
                    let found = try await User.find(user, organisation: organisation, in: management)
                    let updated = try await management.users.update(found.id, with: patch, by: .commandLine, now: Date())
                    try output.print(updated) { User.line(updated) }
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and end its refresh tokens.")
        @Argument(help: "Id, or username in --organisation.") var user: String
        @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await User.setDisabled(true, user, organisation: organisation, database: database, output: output)
        }
    }

    struct Enable: AsyncParsableCommand {
        @Argument(help: "Id, or username in --organisation.") var user: String
        @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await User.setDisabled(false, user, organisation: organisation, database: database, output: output)
        }
    }

    struct Delete: AsyncParsableCommand {
        @Argument(help: "Id, or username in --organisation.") var user: String
        @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withManagement { management in
                    let found = try await User.find(user, organisation: organisation, in: management)
                    try await management.users.delete(found.id, by: .commandLine, now: Date())
                    print("deleted user \(found.id) (\(found.username))")
                }
            }
        }
    }

    static func setDisabled(
        _ disabled: Bool, _ user: String, organisation: String?, database: DatabaseOptions, output: OutputOptions
    ) async throws {
        try await reportingFailures {
            try await database.withManagement { management in
                let found = try await User.find(user, organisation: organisation, in: management)
                var patch = UserPatch()
                patch.disabled = .set(disabled)
                let updated = try await management.users.update(found.id, with: patch, by: .commandLine, now: Date())
                try output.print(updated) { User.line(updated) }
            }
        }
    }
}

/// `--password` or `--password-stdin` (one line from standard input, so the password stays out
/// of the process list and shell history).
struct PasswordOptions: ParsableArguments {
    @Option(help: "The password (visible in the process list; prefer --password-stdin).") var password: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    /// The given password, or nil when neither flag is used.
    func read() throws -> String? {
        switch (password, passwordStdin) {
        case (.some, true):
            throw GatehouseCore.ValidationError(field: "password", message: "use either --password or --password-stdin, not both")
        case (let password?, false):
            return password
        case (nil, true):
            guard let line = readLine(strippingNewline: true) else {
                throw GatehouseCore.ValidationError(field: "password", message: "standard input ended before a password line")
            }
            return line
        case (nil, false):
            return nil
        }
    }
}
