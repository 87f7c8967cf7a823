import ArgumentParser

/// `show`, `disable` or `enable` of any resource: one item named by its argument, changed or not,
/// then printed.
struct ItemCommand<Action: ItemAction>: ManagementCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Action.commandName, abstract: Action.abstract)
    }

    @Argument(help: Action.Resource.argument) var name: String
    @OptionGroup var locator: Action.Resource.Locator
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(_ management: Management) async throws {
        let item = try await Action.perform(name, locator, in: management)
        try output.print(item) { Action.Resource.line(item) }
    }
}

typealias Show<Resource: ManagedResource> = ItemCommand<Showing<Resource>>
typealias Disable<Resource: SwitchableResource> = ItemCommand<Switching<Resource, Disabling>>
typealias Enable<Resource: SwitchableResource> = ItemCommand<Switching<Resource, Enabling>>
