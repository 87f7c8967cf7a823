/// The outcome of ``Policy/evaluate(_:credential:now:)``: allow with the identity to forward, or
/// deny with exactly one reason (the first failing check).
public enum Decision: Sendable, Equatable {
    case allow(Identity)
    case deny(DenyReason)
}
