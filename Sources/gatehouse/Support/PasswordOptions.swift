import ArgumentParser
import GatehouseCore

/// `--password` or `--password-stdin` (one line from standard input, so the password stays out
/// of the process list and shell history).
struct PasswordOptions: ParsableArguments {
    @Option(help: "The password (visible in the process list; prefer --password-stdin).") var password: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    /// The given password, or nil when neither flag is used.
    func read() throws -> String? {
        switch (password, passwordStdin) {
        case (.some, true):
            throw ValidationError(field: "password", message: "use either --password or --password-stdin, not both")
        case (let password?, false):
            return password
        case (nil, true):
            guard let line = readLine(strippingNewline: true) else {
                throw ValidationError(field: "password", message: "standard input ended before a password line")
            }
            return line
        case (nil, false):
            return nil
        }
    }
}
