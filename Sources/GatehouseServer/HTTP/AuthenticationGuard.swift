import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird

/// Puts the failed-authentication throttle (SPEC §7, ``ThrottlePolicy``) around an endpoint's
/// authentication: a locked client is refused with `429` and `Retry-After` in the endpoint's own
/// error format before its credential is looked at, and a failure is counted and its answer held
/// back.
struct AuthenticationGuard: Sendable {
    typealias Key = FailedAuthenticationThrottle.Key
    let throttle: FailedAuthenticationThrottle
    let clientIPs: ClientIPResolver

    /// The client's address as `/v1/check` resolves it: the peer, or whom trusted proxies name
    /// (behind a proxy every peer is the proxy, and counting it would lock everybody out).
    func clientIP(_ headers: HTTPFields, peer: GatehouseCore.IPAddress?) -> GatehouseCore.IPAddress? {
        guard let peer, clientIPs.isTrusted(peer) else { return peer }
        return clientIPs.clientIP(peer: peer, forwardedFor: headers[values: .xForwardedFor], realIP: headers.value(of: .xRealIP))
    }

    /// The client's address as a key, with `names` (a client id, a user name) presented with the
    /// credential.
    func keys(_ request: Request, context: GatehouseRequestContext, names: String?...) -> [Key] {
        var keys = names.compactMap { $0.map(Key.name) }
        if let address = clientIP(request.headers, peer: context.peerAddress) { keys.append(.ip(address)) }
        return keys
    }

    /// Runs `authenticate` unless a key is locked (then throws `refusal(seconds)`). An error that
    /// `isFailure` recognises counts against every key and is rethrown after the hold-back; a
    /// success clears what was counted against the names. The keys are made only when something
    /// is counted or failed, so a server without failures pays one atomic load per request.
    func attempt<Value>(
        _ keys: @autoclosure () -> [Key], refusal: (Int) -> any Error, isFailure: (any Error) -> Bool,
        _ authenticate: () async throws -> Value
    ) async throws -> Value {
        if throttle.isCounting, let seconds = throttle.retryAfter(keys(), now: Date()) { throw refusal(seconds) }
        do {
            let value = try await authenticate()
            if throttle.isCounting {
                for case .name(let name) in keys() { throttle.recordSuccess(name: name) }
            }
            return value
        } catch let error where isFailure(error) {
            await holdBack(throttle.recordFailure(keys(), now: Date()))
            throw error
        }
    }

    /// Waits out a failed answer's hold-back; the wait holds no thread, only the connection.
    func holdBack(_ seconds: TimeInterval) async {
        if seconds > 0 { try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
    }
}

extension AdminAPIError {
    /// SPEC §7 in the admin API's (and customer sessions') format.
    static func tooManyFailedAttempts(retryAfter seconds: Int) -> AdminAPIError {
        var error = AdminAPIError(.tooManyRequests, "too_many_failed_attempts", FailedAuthenticationThrottle.refusalMessage(retryAfter: seconds))
        error.headers[.retryAfter] = String(seconds)
        return error
    }
}
