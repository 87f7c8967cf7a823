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
    let credentials: CredentialResolver
    let clientIPs: ClientIPResolver
    let proxy: UpstreamProxy

    /// One log line per request, as on the main listener (method, path, status, duration; no query).
    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await decide(request, context: context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "gateway \(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.2f", milliseconds))ms",
            metadata: ["peer": "\(context.peerIP ?? "-")"]
        )
        return response
    }

    private func decide(_ request: Request, context: Context) async throws -> Response {
        let now = Date()
        let peer = context.remoteAddress?.ipAddress.flatMap { GatehouseCore.IPAddress($0) }
        let uri = request.uri.description
        let accessRequest = AccessRequest(
            method: request.method.rawValue, uri: uri,
            clientIP: clientIPs.clientIP(peer: peer, forwardedFor: request.headers[values: .xForwardedFor], realIP: request.headers[.xRealIP]),
            requiredScopes: []
        )
        guard let credential = try await credentials.resolve(request.headers, now: now) else { return CheckController.unauthorized }
        switch Policy.evaluate(accessRequest, credential: credential, now: now) {
        case .deny(let reason):
            return try CheckController.forbidden(reason)
        case .allow(let identity):
            // Forward the path as it was judged, so the upstream cannot read it another way.
            guard let path = PathNormaliser.normalise(uri) else { return try CheckController.forbidden(.resourceNotAllowed) }
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return await proxy.forward(request, path: path + query, identity: identity, peer: peer, logger: context.logger)
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xRealIP = HTTPField.Name("X-Real-IP")!
}
