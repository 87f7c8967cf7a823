/// What ``GatehouseAuthenticator`` enforces beyond a locally verified token. There is no
/// default: a resource server says which it wants.
public enum GatehouseEnforcement: Sendable {
    /// The same decision as Gatehouse's `/v1/check` (SPEC §5): the token, revocation, and its
    /// application's `allowedIPs`, `allowedMethods` and `resources`, and the path and
    /// method-override rules, asked of Gatehouse through a short cache
    /// (``GatehouseDecisionClient``). Refused as the check refuses: 401, 403 (with the reason),
    /// 429; 503 when Gatehouse cannot be asked.
    case checkedByGatehouse(GatehouseDecisionClient)
    /// **Scopes only.** The token's signature, `typ`, `iss`, `aud`, `exp` and `nbf` are verified
    /// locally and ``RequireScopes`` checks scopes; an application's IP, method and resource
    /// restrictions are **not** enforced, and revocation is not seen until `exp`. Choose it only
    /// for applications without such restrictions, or behind a proxy that asks `/v1/check`.
    case scopesOnly
}
