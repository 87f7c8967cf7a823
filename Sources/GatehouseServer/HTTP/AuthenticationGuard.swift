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
    typealias Guess = FailedAuthenticationThrottle.Guess
    let throttle: FailedAuthenticationThrottle
    let clientIPs: ClientIPResolver

    /// The client's address as `/v1/check` resolves it: the peer, or whom trusted proxies name
    /// (behind a proxy every peer is the proxy, and counting it would lock everybody out).
    func clientIP(_ headers: HTTPFields, peer: GatehouseCore.IPAddress?) -> GatehouseCore.IPAddress? {
        guard let peer, clientIPs.isTrusted(peer) else { return peer }
        return clientIPs.clientIP(peer: peer, forwardedFor: headers[values: .xForwardedFor], realIP: headers.value(of: .xRealIP))
    }

    /// Runs `authenticate` unless the client's address, or `account` (a user name or consumer
    /// identifier qualified by its organisation, for a secret a person chose) from there or from
    /// anywhere, is locked: then throws `refusal(seconds)`.
    ///
    /// An error that `failure` recognises is counted and rethrown after the hold-back: a
    /// ``Guess/generatedSecret`` against the address only, a ``Guess/chosenSecret`` against the
    /// account as well. A success that `provedAccount` (a right password or pass code for
    /// `account`; none by default) makes the address known good for the account, which the
    /// account's lock then no longer refuses, and clears what this address failed against the
    /// account. The keys are made only when something is counted or failed, so a server without
    /// failures pays one atomic load per request (and a proved account one lookup).
    func attempt<Value>(
        _ request: Request, context: GatehouseRequestContext, account: String? = nil,
        refusal: (Int) -> any Error, failure: (any Error) -> Guess?, provedAccount: (Value) -> Bool = { _ in false },
        _ authenticate: () async throws -> Value
    ) async throws -> Value {
        let address = { clientIP(request.headers, peer: context.peerAddress) }
        if throttle.isCounting, let seconds = throttle.retryAfter(Key.keys(address: address(), account: account), now: Date()) {
            throw refusal(seconds)
        }
        do {
            let value = try await authenticate()
            if throttle.policy.isOn, let account, provedAccount(value) {
                throttle.recordSuccess(account: account, address: address(), now: Date())
            }
            return value
        } catch let error {
            guard let guess = failure(error) else { throw error }
            let keys = Key.keys(address: address(), account: guess == .chosenSecret ? account : nil)
            await holdBack(throttle.recordFailure(keys, now: Date()))
            throw error
        }
    }

    /// Waits out a failed answer's hold-back; the wait holds no thread, only the connection.
    func holdBack(_ seconds: TimeInterval) async {
        if seconds > 0 { try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
    }
}
