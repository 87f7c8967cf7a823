import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse admin create|update`: the admin API's `/admin/v1/admin-keys` on the database
/// directly, with `--json` in the API's shapes; `list`, `show`, `disable`, `enable` and `delete`
/// are the shared verbs (``Admin``'s ``ManagedResource`` conformance below).
enum AdminKeyVerbs {
    struct Create: ManagementCommand {
        static let configuration = CommandConfiguration(abstract: "Create an admin key; the key is printed once (the last word).")
        @Argument(help: "Display name.") var name: String
        @Option(help: "Expiry as an RFC 3339 date-time, e.g. 2030-01-31T12:00:00Z (default: never).") var expiresAt: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let issued = try await management.adminKeys.create(AdminKeyInput(name: name, expiresAt: expiresAt), by: .commandLine, now: Date())
            try output.print(issued) { Admin.line(issued.adminKey) + "\nkey (shown once): \(issued.key)" }
        }
    }

    struct Update: ManagementCommand {
        static let configuration = CommandConfiguration(abstract: "Rename an admin key or change its expiry.")
        @Argument(help: Admin.argument) var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "New expiry as an RFC 3339 date-time.") var expiresAt: String?
        @Flag(help: "Remove the expiry.") var noExpiry = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            var patch = AdminKeyPatch()
            if let name { patch.name = .set(name) }
            if let expiresAt { patch.expiresAt = .set(expiresAt) }
            if noExpiry { patch.expiresAt = .clear }
            let updated = try await management.adminKeys.update(id, with: patch, by: .commandLine, now: Date())
            try output.print(updated) { Admin.line(updated) }
        }
    }
}

extension Admin: ListableResource, SwitchableResource, DeletableResource {
    static var argument: ArgumentHelp { ArgumentHelp("Id.", valueName: "id") }
    static var listAbstract: String { "List admin keys (never the keys themselves)." }
    static var showAbstract: String { "Show one admin key." }
    static var disableAbstract: String { "Disable an admin key: refused from the next request on." }
    static var enableAbstract: String { "Enable a disabled admin key." }
    static var deleteAbstract: String { "Delete an admin key (not the last usable one)." }

    static func find(_ name: String, _: NoFlags, in management: Management) async throws -> AdminKey {
        try await management.adminKeys.find(name)
    }

    static func list(_: NoFlags, _ page: PageOptions, in management: Management) async throws -> Page<AdminKey> {
        try await management.adminKeys.list(try page.request())
    }

    static func setDisabled(_ disabled: Bool, _ name: String, _: NoFlags, in management: Management) async throws -> AdminKey {
        var patch = AdminKeyPatch()
        patch.disabled = .set(disabled)
        return try await management.adminKeys.update(name, with: patch, by: .commandLine, now: Date())
    }

    static func delete(_ name: String, _: NoFlags, in management: Management) async throws -> String {
        let found = try await management.adminKeys.find(name)
        try await management.adminKeys.delete(found.id, by: .commandLine, now: Date())
        return "deleted admin key \(found.id) (\(found.name))"
    }
}
