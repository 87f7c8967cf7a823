/// Who an allowed request acts as; becomes the `X-Gatehouse-*` headers (SPEC §5).
public struct Identity: Sendable, Equatable {
    /// `X-Gatehouse-Subject`: the token's `sub`, a key's owning user id or app client id, or the
    /// Basic app's client id.
    public var subject: String
    /// `X-Gatehouse-Client`: the client id of the application, or `apikey:<id>` for a user-owned key.
    public var clientId: String
    /// `X-Gatehouse-Org`.
    public var organisationId: String
    /// `X-Gatehouse-Scope` (space-joined).
    public var scopes: [String]
    /// `X-Gatehouse-Customer`, for customer sessions only.
    public var customer: String?

    public init(subject: String, clientId: String, organisationId: String, scopes: [String], customer: String? = nil) {
        self.subject = subject
        self.clientId = clientId
        self.organisationId = organisationId
        self.scopes = scopes
        self.customer = customer
    }
}
