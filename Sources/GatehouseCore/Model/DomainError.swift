/// Failures of a management operation that are the caller's to fix; each maps to one 4xx answer.
public enum DomainError: Error, Equatable, Sendable {
    /// No such resource (`what` names it, e.g. `organisation 'acme'`).
    case notFound(String)
    /// The change clashes with existing data (a taken name, a non-empty organisation).
    case conflict(String)
    /// The organisation already holds `maxApplications` applications.
    case quotaExceeded(String)
}
