import GatehouseCore

/// Gatehouse's answer to "may this request pass?" — the answer of `/v1/check` (SPEC §5).
public enum GatehouseDecision: Sendable, Equatable {
    /// `200`: the credential is valid and the application's policy allows the request.
    case allowed
    /// `401`: the token is not (or no longer) valid — revoked, its application disabled, …
    case unauthorized
    /// `403` with the policy's reason (`nil`: one this library does not know).
    case denied(reason: DenyReason?)
    /// `429`: the client's address failed authentication too often; `Retry-After`, if given.
    case throttled(retryAfter: String?)
    /// Gatehouse could not be asked (unreachable, too slow, or any other answer): fail closed.
    case unavailable

    /// Whether the answer may be remembered: only Gatehouse's own decisions, never an outage or
    /// a throttle (which end on their own).
    var isCacheable: Bool {
        switch self {
        case .allowed, .unauthorized, .denied: true
        case .throttled, .unavailable: false
        }
    }
}
