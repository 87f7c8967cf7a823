import Foundation

/// The one policy evaluation shared by the check endpoint, the gateway listener and the
/// resource-server library: `(request, verified credential, now) → Decision` (SPEC §1, §5).
///
/// Pure: no I/O, no clock, no state. The credential is already verified (see
/// ``VerifiedCredential``); this decides only whether policy lets it make this request.
///
/// **Identity**
/// - access token: `sub`, `client_id`, `org`, `scope`, `customer` from the claims;
/// - API key: subject = the owning user's id, else the owning application's `clientId`;
///   client = that application's `clientId`, else `apikey:<key id>`; organisation = the key's;
///   scopes = the key's;
/// - Basic: subject = client = the application's `clientId`; organisation and scopes the
///   application's; no customer (Basic requests act as the application itself).
///
/// **Checks**, in this order; the first failure is the one reason returned. The first two judge
/// whether the request has one meaning at all, and apply to every credential, with or without an
/// application policy:
/// 1. `resource_not_allowed` — the URI is one an upstream could read another way
///    (``PathNormaliser``: never resolved, refused), before any pattern is looked at.
/// 2. `method_not_allowed` — the method-override headers or `_method` parameters disagree or do
///    not name a method (``MethodOverride/ambiguous``).
/// 3. `authorization_type` — per-request Basic (`clientId:secret`) from a `bearer` application.
///    (An API key sent as `Basic <key:>` is an ``VerifiedCredential/apiKey(_:application:)``,
///    not this.)
/// 4. `ip_not_allowed` — the application's `allowedIPs` is non-empty and the client IP is in none
///    of its CIDRs (IPv4 and IPv6; IPv4-mapped IPv6 is folded to IPv4 on both sides). An unknown
///    client IP never passes a non-empty list; an entry that is not a CIDR matches nothing.
/// 5. `method_not_allowed` — `allowedMethods` is non-empty and does not contain the request
///    method upper-cased (ASCII only, so `get` is `GET` but `poſt` is not `POST`), compared
///    exactly — nor, when the request carries a method override, the overriding method: an
///    upstream may honour either. HEAD is **not** implied by GET (nor OPTIONS by anything).
/// 6. `resource_not_allowed` — `resources` is non-empty and no pattern matches the canonical
///    path (``ResourcePattern``).
/// 7. `insufficient_scope` — some required scope is not among the identity's scopes.
///
/// Empty allow-lists mean "any". User-owned API keys and API users' tokens have no application
/// policy: only steps 1, 2 and 7 apply. Expiry and `disabled` are verification's job,
/// so `now` takes no part in today's rules; it is in the signature so that time-based rules can
/// be added without changing every caller.
public enum Policy {
    public static func evaluate(_ request: AccessRequest, credential: VerifiedCredential, now: Date) -> Decision {
        let (identity, application) = subject(of: credential)

        guard let path = PathNormaliser.segments(of: request.uri) else { return .deny(.resourceNotAllowed) }
        if request.methodOverride == .ambiguous { return .deny(.methodNotAllowed) }
        if case .basic(let application) = credential, application.authorizationType != .basic {
            return .deny(.authorizationType)
        }
        if let application {
            if !application.allowedIPs.isEmpty {
                guard let ip = request.clientIP,
                      application.allowedIPs.contains(where: { $0.contains(ip) })
                else { return .deny(.ipNotAllowed) }
            }
            if !application.allowedMethods.isEmpty {
                guard application.allowedMethods.contains(asciiUppercased(request.method)) else { return .deny(.methodNotAllowed) }
                if case .method(let overriding) = request.methodOverride, !application.allowedMethods.contains(overriding) {
                    return .deny(.methodNotAllowed)
                }
            }
        }
        if let application, !application.resources.isEmpty {
            guard application.resources.contains(where: { $0.matches(pathSegments: path) }) else { return .deny(.resourceNotAllowed) }
        }
        if !request.requiredScopes.isEmpty {
            let held = Set(identity.scopes)
            let required = request.requiredScopes.flatMap { $0.split(separator: " ") }
            guard required.allSatisfy({ held.contains(String($0)) }) else { return .deny(.insufficientScope) }
        }
        return .allow(identity)
    }

    /// The identity a credential acts as, and the application whose policy applies (if any).
    static func subject(of credential: VerifiedCredential) -> (Identity, Application?) {
        switch credential {
        case .accessToken(let claims, let application):
            let identity = Identity(
                subject: claims.sub, clientId: claims.client_id, organisationId: claims.org,
                scopes: claims.scopes, customer: claims.customer)
            return (identity, application)
        case .apiKey(let key, let application):
            let client = application?.clientId ?? "apikey:\(key.id)"
            let identity = Identity(
                subject: key.userId ?? client, clientId: client, organisationId: key.organisationId, scopes: key.scopes)
            return (identity, application)
        case .basic(let application):
            let identity = Identity(
                subject: application.clientId, clientId: application.clientId,
                organisationId: application.organisationId, scopes: application.scopes)
            return (identity, application)
        }
    }

    /// ASCII letters upper-cased, nothing else (`get` is `GET`, `poſt` stays `poſt`).
    static func asciiUppercased(_ method: some StringProtocol) -> String {
        String(decoding: method.utf8.map { (97...122).contains($0) ? $0 - 32 : $0 }, as: UTF8.self)
    }
}
