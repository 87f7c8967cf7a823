import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import Logging

/// The gateway listener (`--gateway-port`, `--upstream`, SPEC §5): every request gets the same
/// decision as `/v1/check`; allowed ones are proxied to the upstream, refused ones get the check's
/// own 401 or 403 answer.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatehouseRequestContext
    let enforcer: Enforcer
    let proxy: UpstreamProxy

    /// One log line per request, as on the main listener (method, path, status, duration; no query).
    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await decide(request, context: context)
        } catch is StoreUnavailable {
            response = CheckRefusal.unavailable.response
        }
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "gateway \(request.method) \(SecretRedaction.redact(request.uri.path, limit: 1000)) \(response.status.code) \(elapsed.logText)",
            metadata: ["peer": "\(context.peerIP ?? "-")"]
        )
        return response
    }

    /// The standard methods the gateway proxies, for the `Allow` of its CONNECT refusal (it
    /// proxies other tokens too, judged like these).
    static let proxiedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]

    private func decide(_ request: Request, context: Context) async throws -> Response {
        // RFC 9110 §9.3.6: CONNECT asks a proxy for a tunnel; the gateway proxies requests only,
        // and a 2xx would tell whatever stands in front of it that a tunnel is open.
        if request.method == .connect {
            let refusal = MethodNotAllowed(allowed: Self.proxiedMethods)
            var response = CheckRefusal.methodNotAllowed(refusal).response
            response.headers[.allow] = refusal.allowField
            return response
        }
        let peer = context.peerAddress
        let uri = request.uri.description
        let outcome = try await enforcer.decide(
            method: request.method.rawValue, uri: uri, headers: request.headers, peer: peer, requiredScopes: [], now: Date()
        )
        switch outcome {
        case .refused(let refusal):
            return refusal.response
        case .allowed(let identity):
            // Forward the path as it was judged (canonical, never resolved: `Policy` refused any
            // target an upstream could read another way), and the raw query.
            guard let path = PathNormaliser.normalise(uri) else { return CheckRefusal.denied(.resourceNotAllowed).response }
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return await proxy.forward(request, path: path + query, identity: identity, peer: peer, logger: context.logger)
        }
    }
}
