import ArgumentParser

/// `delete` of any resource: the item named by its argument; prints one line, never JSON.
struct DeleteCommand<Resource: DeletableResource>: ManagementCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: Resource.deleteAbstract)
    }

    @Argument(help: Resource.argument) var name: String
    @OptionGroup var locator: Resource.Locator
    @OptionGroup var database: DatabaseOptions

    func run(_ management: Management) async throws {
        print(try await Resource.delete(name, locator, in: management))
    }
}
