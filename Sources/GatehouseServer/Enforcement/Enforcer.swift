import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird

/// The one decision behind `/v1/check` and the gateway listener (SPEC §5): resolve the client IP
/// and the credential, then `Policy.evaluate`. Both callers answer refusals with ``CheckRefusal``.
///
/// A bad credential counts against the client's IP (SPEC §7); a request without one does not (a
/// browser that has not signed in yet is not guessing).
struct Enforcer: Sendable {
    let credentials: CredentialResolver
    let authenticationGuard: AuthenticationGuard

    enum Outcome {
        /// No or a bad credential (401), a throttled address (429) or a policy refusal (403).
        case refused(CheckRefusal)
        case allowed(Identity)
    }

    func decide(
        method: String, uri: String, headers: HTTPFields, peer: GatehouseCore.IPAddress?, requiredScopes: [String], now: Date
    ) async throws -> Outcome {
        let request = AccessRequest(
            method: method, uri: uri, clientIP: authenticationGuard.clientIP(headers, peer: peer), requiredScopes: requiredScopes,
            methodOverride: Self.methodOverride(headers, uri: uri))
        let throttle = authenticationGuard.throttle
        if throttle.isCounting, let ip = request.clientIP, let seconds = throttle.retryAfter([.ip(ip)], now: now) {
            return .refused(.throttled(retryAfter: seconds))
        }
        guard let credential = try await credentials.resolve(headers, now: now) else {
            if let ip = request.clientIP, headers[.authorization] != nil || headers[CredentialResolver.apiKeyHeader] != nil {
                await authenticationGuard.holdBack(throttle.recordFailure([.ip(ip)], now: now))
            }
            return .refused(.unauthorized)
        }
        switch Policy.evaluate(request, credential: credential, now: now) {
        case .allow(let identity): return .allowed(identity)
        case .deny(let reason): return .refused(.denied(reason))
        }
    }

    /// The method-override headers of the request and `_method` parameters of the original URI
    /// (``MethodOverride``). On `/v1/check` the headers are the ones the proxy passed on from the
    /// client (nginx `auth_request` passes them all).
    static func methodOverride(_ headers: HTTPFields, uri: String) -> MethodOverride {
        var override = MethodOverride.none
        for field in headers where MethodOverride.isOverrideHeader(field.name.canonicalName) {
            override.add(field.value)
        }
        override.addQueryParameters(of: uri)
        return override
    }
}

extension Identity {
    /// The identity headers `/v1/check` answers with and the gateway adds upstream.
    var gatehouseHeaders: [(name: HTTPField.Name, value: String)] {
        var headers: [(name: HTTPField.Name, value: String)] = [
            (.gatehouseSubject, subject), (.gatehouseClient, clientId), (.gatehouseOrg, organisationId),
            (.gatehouseScope, scopes.joined(separator: " ")),
        ]
        if let customer { headers.append((.gatehouseCustomer, customer)) }
        return headers
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xRealIP = HTTPField.Name("X-Real-IP")!
    static let gatehouseSubject = HTTPField.Name("X-Gatehouse-Subject")!
    static let gatehouseClient = HTTPField.Name("X-Gatehouse-Client")!
    static let gatehouseOrg = HTTPField.Name("X-Gatehouse-Org")!
    static let gatehouseScope = HTTPField.Name("X-Gatehouse-Scope")!
    static let gatehouseCustomer = HTTPField.Name("X-Gatehouse-Customer")!
}
