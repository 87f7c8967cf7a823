import AsyncHTTPClient
import Foundation
import GatehouseCore
import NIOCore
import NIOHTTP1

/// Asks Gatehouse's `/v1/check` whether a request may pass, so that a resource server enforces
/// **the same decision as forward auth** (SPEC §5): the token's validity *including revocation*
/// and its application's policy — `allowedIPs`, `allowedMethods`, `resources` and the path and
/// method-override rules — none of which a token carries.
///
/// The question is the original request as a proxy would name it: `Authorization: Bearer
/// <token>`, both `X-Forwarded-Method`/`X-Original-Method` and `X-Forwarded-Uri`/`X-Original-URI`
/// (the raw target, query included), `X-Forwarded-For` (the client's address), and the request's
/// method-override headers. Gatehouse believes `X-Forwarded-For` only from a trusted proxy:
/// **list the resource server's address in Gatehouse's `--trusted-proxies`**, or every request
/// is judged as coming from the resource server itself. A client whose address is unknown is
/// reported as `0.0.0.0`, which no allow-list admits but `0.0.0.0/0`.
///
/// Answers are remembered for ``lifetime`` (default 5 s; see ``DecisionCache``): a revoked token
/// or a tightened policy is seen within that time. Gatehouse unreachable, too slow (``timeout``,
/// default 2 s) or answering anything but 200/401/403/429: ``GatehouseDecision/unavailable``,
/// which the authenticator answers with 503 — it fails closed.
public struct GatehouseDecisionClient: Sendable {
    /// Gatehouse's check URL, e.g. `http://gatehouse:8080/v1/check`.
    public let checkURL: String
    public let timeout: Duration
    public var lifetime: Duration { cache.lifetime }
    let httpClient: HTTPClient
    let cache: DecisionCache

    /// - Parameters:
    ///   - checkURL: Gatehouse's `/v1/check` (without query).
    ///   - lifetime: how long an answer is remembered (`.zero`: never).
    ///   - capacity: how many answers are remembered at most.
    ///   - clock: the current instant, for the cache's expiry.
    public init(
        checkURL: String, httpClient: HTTPClient = .shared, lifetime: Duration = .seconds(5), capacity: Int = 10_000,
        timeout: Duration = .seconds(2), clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.checkURL = checkURL
        self.httpClient = httpClient
        self.timeout = timeout
        self.cache = DecisionCache(lifetime: lifetime, capacity: capacity, clock: clock)
    }

    /// The decision for `token` making the request `method target` from `clientAddress`, with
    /// these method-override header lines.
    public func decide(
        token: String, method: String, target: String, clientAddress: String?, overrides: [(name: String, value: String)] = []
    ) async -> GatehouseDecision {
        let client = clientAddress ?? "0.0.0.0"
        let key = cache.key([token, method, target, client] + overrides.flatMap { [$0.name.lowercased(), $0.value] })
        if let known = cache.decision(for: key) { return known }
        var request = HTTPClientRequest(url: checkURL)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        for name in ["X-Forwarded-Method", "X-Original-Method"] { request.headers.add(name: name, value: method) }
        for name in ["X-Forwarded-Uri", "X-Original-URI"] { request.headers.add(name: name, value: target) }
        request.headers.add(name: "X-Forwarded-For", value: client)
        for override in overrides { request.headers.add(name: override.name, value: override.value) }
        let decision = await ask(request)
        cache.remember(decision, for: key)
        return decision
    }

    private func ask(_ request: HTTPClientRequest) async -> GatehouseDecision {
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200: return .allowed
            case 401: return .unauthorized
            case 403:
                let answer = try? JSONDecoder().decode([String: String].self, from: Data(body.readableBytesView))
                return .denied(reason: answer?["error"].flatMap(DenyReason.init(rawValue:)))
            case 429: return .throttled(retryAfter: response.headers.first(name: "Retry-After"))
            default: return .unavailable
            }
        } catch {
            return .unavailable
        }
    }
}
