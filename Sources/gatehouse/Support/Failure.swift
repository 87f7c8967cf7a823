import ArgumentParser
import Foundation
import GatehouseCore

/// Runs a command body; any failure becomes one line on standard error and exit status 1 — never
/// a stack trace.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as any ExitCodeError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("gatehouse: \(SecretRedaction.redact(describe(error)))\n".utf8))
        throw ExitCode.failure
    }
}

/// Errors whose message is already fit for an operator.
func describe(_ error: any Error) -> String {
    switch error {
    case DomainError.notFound(let what): "not found: \(what)"
    case DomainError.conflict(let message): "conflict: \(message)"
    case DomainError.quotaExceeded(let message): "quota exceeded: \(message)"
    case let error as ValidationError: "invalid \(error.field): \(error.message)"
    case let error as any CustomStringConvertible: listenFailure(error.description) ?? error.description
    default: String(describing: error)
    }
}

/// NIO reports a taken port as an IOError; say it plainly.
private func listenFailure(_ message: String) -> String? {
    if message.contains("Address already in use") { return "cannot listen: address already in use (is another server on this port?)" }
    if message.contains("Cannot assign requested address") { return "cannot listen: that address does not belong to this machine" }
    return nil
}

/// Argument-parser errors (usage, --help, exit codes) pass through untouched.
protocol ExitCodeError: Error {}
extension ExitCode: ExitCodeError {}
extension CleanExit: ExitCodeError {}

/// A bad flag value, named by its field: the domain's error, which the commands throw as the
/// managers do. (ArgumentParser's own `ValidationError`, a usage error, is never thrown here.)
typealias ValidationError = GatehouseCore.ValidationError
