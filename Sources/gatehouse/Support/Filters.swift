import ArgumentParser

/// No flags: the locator or filter of a resource that needs none.
struct NoFlags: ParsableArguments {}

/// `--organisation` of `list`: only that organisation's items.
struct OrganisationFilter: ParsableArguments {
    @Option(help: "Only this organisation (id or name).") var organisation: String?
}

/// `--organisation` beside a user's id or username: the organisation the username is in.
struct UsernameOrganisation: ParsableArguments {
    @Option(help: "Organisation of a username (id or name; default: default).") var organisation: String?
}
