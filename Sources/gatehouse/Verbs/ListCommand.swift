import ArgumentParser

/// `list` of any resource: one page, narrowed by the resource's filter flags.
struct ListCommand<Resource: ListableResource>: ManagementCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: Resource.listAbstract)
    }

    @OptionGroup var filter: Resource.Filter
    @OptionGroup var page: PageOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(_ management: Management) async throws {
        let result = try await Resource.list(filter, page, in: management)
        try output.print(result) { result.human(Resource.line) }
    }
}
