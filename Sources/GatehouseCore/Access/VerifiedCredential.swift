/// A credential that has already been verified: signature, hash, expiry, `disabled` flags of the
/// credential and its owner are checked before ``Policy/evaluate(_:credential:now:)`` runs.
///
/// The associated application is whose policy (allowed IPs, methods, resources) applies. The
/// caller must pass the right one: for an application-owned API key or an application's token,
/// failing to load that application is a verification failure (401), not a reason to pass `nil`,
/// because `nil` means "no application policy".
public enum VerifiedCredential: Sendable {
    /// A Gatehouse access token; `application` is the token's client app (`client_id`), `nil` for
    /// tokens of API users (which have no application policy: only scopes apply).
    case accessToken(AccessTokenClaims, application: Application?)
    /// An API key (sent as `Bearer`, `X-API-Key` or `Basic <key:>`); `application` is the owning
    /// application, whose policy applies, or `nil` for user-owned keys (only scopes apply).
    case apiKey(APIKey, application: Application?)
    /// `clientId:secret` sent as HTTP Basic with the request itself (not at the token endpoint).
    /// Only `basic` applications may do this (SPEC §1 `authorizationType`).
    case basic(Application)
}
