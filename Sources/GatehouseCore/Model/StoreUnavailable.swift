/// The database did not do what was asked in time, or cannot do it now: unreachable, a lost
/// connection, a full disk, a read-only file, a lock held too long (SPEC §2: "every request that
/// needs it answers `503` in its endpoint's own format within 5 s").
///
/// Every route group renders it as a 503 with `Retry-After`, never a 500. `reason` is for the
/// log and never holds a secret or a statement.
public struct StoreUnavailable: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// No answer within the deadline (``DatabaseDeadline``).
        case timedOut = "timed out"
        /// The connection could not be made or was lost.
        case unreachable
        /// The database refused to write: a read-only or full disk, an I/O error, a lock.
        case cannotWrite = "cannot write"
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String { "the database is unavailable (\(reason.rawValue))" }

    /// Seconds a client is asked to wait (`Retry-After`).
    public static let retryAfterSeconds = 2

    /// The message every endpoint's 503 carries.
    public static let message = "the database is not answering; retry shortly"
}
