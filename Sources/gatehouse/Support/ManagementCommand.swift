import ArgumentParser

/// A command that works on the database. Its `run()` is the same for every such command: check
/// the flags, open and migrate the database, run the command's own ``run(_:_:)``, close the
/// database, and turn any failure into one line on standard error and exit status 1
/// (``reportingFailures(_:)``). A command holds only its flags and what it does.
protocol CheckedManagementCommand: AsyncParsableCommand {
    /// What the flags give once checked (a patch, a password read from standard input).
    associatedtype Checked
    var database: DatabaseOptions { get }
    /// Runs before the database opens, so that a bad flag is refused without touching it.
    func check() throws -> Checked
    func run(_ management: Management, _ checked: Checked) async throws
}

extension CheckedManagementCommand {
    func run() async throws {
        try await reportingFailures {
            let checked = try check()
            try await database.withManagement { management in
                try await run(management, checked)
            }
        }
    }
}

/// A command with nothing to check before the database opens: it writes only ``run(_:)``.
protocol ManagementCommand: CheckedManagementCommand where Checked == Void {
    func run(_ management: Management) async throws
}

extension ManagementCommand {
    func check() {}

    func run(_ management: Management, _: Void) async throws {
        try await run(management)
    }
}
