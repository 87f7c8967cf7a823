import ArgumentParser
import GatehouseCore

/// One resource as the shared verbs see it: how its argument reads, how to find one item and how
/// to print it. A resource's own file holds only this and the commands that differ (create, update).
protocol ManagedResource {
    associatedtype Item: Encodable & Sendable
    /// Flags beside the argument that help find one item (a username's `--organisation`).
    associatedtype Locator: ParsableArguments = NoFlags
    /// The positional argument naming one item: its help and value name, e.g. `<application>`.
    static var argument: ArgumentHelp { get }
    static var showAbstract: String { get }
    static func line(_ item: Item) -> String
    static func find(_ name: String, _ locator: Locator, in management: Management) async throws -> Item
}

/// A resource with `list`.
protocol ListableResource: ManagedResource {
    /// Flags that narrow the list (`--organisation`).
    associatedtype Filter: ParsableArguments = NoFlags
    static var listAbstract: String { get }
    /// `page.request()` is left to the resource, so its checks keep their place among the lookups.
    static func list(_ filter: Filter, _ page: PageOptions, in management: Management) async throws -> Page<Item>
}

/// A resource with `disable` and `enable`.
protocol SwitchableResource: ManagedResource {
    static var disableAbstract: String { get }
    static var enableAbstract: String { get }
    static func setDisabled(_ disabled: Bool, _ name: String, _ locator: Locator, in management: Management) async throws -> Item
}

/// A resource with `delete`.
protocol DeletableResource: ManagedResource {
    static var deleteAbstract: String { get }
    /// Deletes the item and returns the line that says so.
    static func delete(_ name: String, _ locator: Locator, in management: Management) async throws -> String
}

/// Most verbs have no abstract of their own.
extension ManagedResource {
    static var showAbstract: String { "" }
}

extension ListableResource {
    static var listAbstract: String { "" }
}

extension SwitchableResource {
    static var disableAbstract: String { "" }
    static var enableAbstract: String { "" }
}

extension DeletableResource {
    static var deleteAbstract: String { "" }
}
