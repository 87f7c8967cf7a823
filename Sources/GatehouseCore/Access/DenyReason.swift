/// Why a verified credential was refused by policy: the JSON `error` of the 403 (SPEC §5).
public enum DenyReason: String, Sendable, Codable, CaseIterable {
    case ipNotAllowed = "ip_not_allowed"
    case methodNotAllowed = "method_not_allowed"
    case resourceNotAllowed = "resource_not_allowed"
    case insufficientScope = "insufficient_scope"
    case authorizationType = "authorization_type"
}
