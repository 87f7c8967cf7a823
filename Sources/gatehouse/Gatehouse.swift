import ArgumentParser

@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A self-hosted API access server: OAuth 2.0, app authorizations, API keys, enforcement.",
        subcommands: [Serve.self, Migrate.self, Admin.self, Org.self, App.self, User.self, APIKeyCommand.self, ConsumerCredentialCommand.self, Keys.self]
    )
}
