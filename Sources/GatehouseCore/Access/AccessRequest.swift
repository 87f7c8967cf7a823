/// What is being asked: the original request as the proxy (or the gateway listener) saw it.
///
/// The HTTP layer fills it from `X-Forwarded-Method`/`X-Original-Method`,
/// `X-Forwarded-Uri`/`X-Original-URI`, the client IP resolved by ``ClientIPResolver`` and the
/// `required_scope` query parameters of the check URL (SPEC §5).
public struct AccessRequest: Sendable {
    /// The HTTP method token as received; compared after ASCII upper-casing.
    public var method: String
    /// The request target in origin form, raw as the proxy forwards it: an absolute path, maybe
    /// followed by `?query`. Judged in ``PathNormaliser`` form; a target whose meaning depends on
    /// the reader (including an empty or absolute-form URI) is refused, never resolved.
    public var uri: String
    /// The method the request asks an upstream framework to read instead of ``method``
    /// (``MethodOverride``): when present, policy must allow both.
    public var methodOverride: MethodOverride
    /// The client address, or `nil` when unknown. Unknown never passes a non-empty IP allow-list.
    public var clientIP: IPAddress?
    /// Scopes the caller demands; each must be held by the credential. An entry may hold several
    /// space-separated scope tokens (RFC 6749 §3.3); empty entries are ignored.
    public var requiredScopes: [String]

    public init(method: String, uri: String, clientIP: IPAddress?, requiredScopes: [String] = [], methodOverride: MethodOverride = .none) {
        self.method = method
        self.uri = uri
        self.clientIP = clientIP
        self.requiredScopes = requiredScopes
        self.methodOverride = methodOverride
    }
}
