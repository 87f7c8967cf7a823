import ArgumentParser

/// What an ``ItemCommand`` does to the item it names.
protocol ItemAction {
    associatedtype Resource: ManagedResource
    static var commandName: String { get }
    static var abstract: String { get }
    static func perform(
        _ name: String, _ locator: Resource.Locator, in management: Management
    ) async throws -> Resource.Item
}

/// `show`: find the item.
enum Showing<Resource: ManagedResource>: ItemAction {
    static var commandName: String { "show" }
    static var abstract: String { Resource.showAbstract }

    static func perform(_ name: String, _ locator: Resource.Locator, in management: Management) async throws -> Resource.Item {
        try await Resource.find(name, locator, in: management)
    }
}

/// `disable` or `enable`: set the item's `disabled`.
enum Switching<Resource: SwitchableResource, Direction: SwitchDirection>: ItemAction {
    static var commandName: String { Direction.disabled ? "disable" : "enable" }
    static var abstract: String { Direction.disabled ? Resource.disableAbstract : Resource.enableAbstract }

    static func perform(_ name: String, _ locator: Resource.Locator, in management: Management) async throws -> Resource.Item {
        try await Resource.setDisabled(Direction.disabled, name, locator, in: management)
    }
}

/// Which way a ``Switching`` goes, as a type so that one generic command serves both.
protocol SwitchDirection {
    static var disabled: Bool { get }
}

enum Disabling: SwitchDirection {
    static var disabled: Bool { true }
}

enum Enabling: SwitchDirection {
    static var disabled: Bool { false }
}
