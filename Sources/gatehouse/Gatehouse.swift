import ArgumentParser

@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A self-hosted API access server: OAuth 2.0, app authorizations, API keys, enforcement.",
        subcommands: [Serve.self, Migrate.self, Admin.self, Org.self, App.self, UserCommand.self, APIKeyCommand.self, ConsumerCredentialCommand.self, Keys.self]
    )

    /// On the main thread, before any task runs: `serve` first moves Swift's tasks onto NIO's
    /// event loops (``runTasksOnEventLoops()``), which NIO allows only from the main thread.
    @MainActor static func main() async {
        if CommandLine.arguments.dropFirst().first == Serve.configuration.commandName ?? "serve" {
            Serve.tasksRunOnEventLoops = runTasksOnEventLoops()
        }
        await main(nil)
    }
}
