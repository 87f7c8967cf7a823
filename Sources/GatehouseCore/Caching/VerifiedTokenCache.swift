import Foundation
import Synchronization

/// Tokens whose signature already verified, with their claims, so a token presented again (the
/// common case: a client sends the same access token on every API call until it expires) skips
/// the ECDSA/RSA/EdDSA verification and the JSON decoding.
///
/// Only what cannot change is remembered: that these exact bytes carry a valid signature by the
/// key `kid` over these claims, for this `typ`. Whatever can change is checked again on every
/// hit by ``Introspection``: the key still published, `exp` and `nbf` against `now`, revocation,
/// and the client and owner still enabled. Bounded; the oldest entry leaves first.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var claims: AccessTokenClaims
        var kid: String
        var type: String
    }

    private let entries: Mutex<BoundedCache<Entry>>

    init(capacity: Int) {
        entries = Mutex(BoundedCache(capacity: max(capacity, 1)))
    }

    func entry(for token: String) -> Entry? {
        entries.withLock { $0.value(token, now: .distantPast, maxAge: .infinity) }
    }

    func insert(_ token: String, _ entry: Entry) {
        entries.withLock { $0.insert(token, entry, at: .distantPast) }
    }
}
