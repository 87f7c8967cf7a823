import AsyncHTTPClient
import Foundation
import GatehouseCore
import Logging
import NIOCore
import NIOHTTP1

/// Gatehouse's published verification keys (its JWK Set, RFC 7517 §5), cached by `kid`.
///
/// - A known `kid` is answered from memory: verifying a token makes no network call.
/// - An unknown `kid` (a key rotated in since the last fetch) refetches the set, but at most once
///   per ``minimumRefetchInterval``, so tokens with made-up `kid`s cannot turn into a flood of
///   requests to Gatehouse. Concurrent misses share one fetch.
/// - The first lookup fetches the set; ``refresh()`` fetches it at once (for example at start-up).
/// - A successful fetch replaces the keys (keys Gatehouse retired stop verifying); a failed fetch
///   keeps the keys already known, and still counts against the interval.
///
/// Entries that are not usable verification keys (another `use`, an `alg` that does not match
/// the key type, RSA under 2048 bits, a `kid` listed twice) are skipped; the rest still load.
public actor JWKSCache {
    /// Fetches the JWK Set: an HTTP GET in normal use; tests may count or script fetches.
    public typealias Fetch = @Sendable () async throws -> JWKSet

    /// The least time between two fetches caused by unknown `kid`s.
    public nonisolated let minimumRefetchInterval: Duration

    private let fetchSet: Fetch
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private var keys: [String: VerificationKey] = [:]
    private var lastFetch: ContinuousClock.Instant?
    private var inFlight: Task<Void, Never>?

    /// How many fetches were started so far (successful or not).
    public private(set) var fetchCount = 0

    /// A cache that GETs `jwksURL` (Gatehouse serves it at `<issuer>/oauth/jwks`).
    ///
    /// - Parameters:
    ///   - httpClient: the client to fetch with; `HTTPClient.shared` by default.
    ///   - timeout: how long one fetch may take.
    ///   - maximumSize: the largest JWK Set body accepted.
    public init(
        jwksURL: String, httpClient: HTTPClient = .shared, minimumRefetchInterval: Duration = .seconds(10),
        timeout: Duration = .seconds(10), maximumSize: Int = 1 << 20,
        logger: Logger = Logger(label: "gatehouse-resource-server")
    ) {
        self.init(
            minimumRefetchInterval: minimumRefetchInterval, logger: logger,
            fetch: Self.fetching(jwksURL, httpClient: httpClient, timeout: timeout, maximumSize: maximumSize)
        )
    }

    /// The HTTP GET of `jwksURL` that the URL initialiser uses, for a cache built with
    /// ``init(minimumRefetchInterval:clock:logger:fetch:)``.
    public static func fetching(
        _ jwksURL: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10), maximumSize: Int = 1 << 20
    ) -> Fetch {
        { try await download(jwksURL, httpClient: httpClient, timeout: timeout, maximumSize: maximumSize) }
    }

    /// A cache that gets its keys from `fetch`.
    ///
    /// - Parameter clock: the current instant; lets tests move time without sleeping.
    public init(
        minimumRefetchInterval: Duration = .seconds(10),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        logger: Logger = Logger(label: "gatehouse-resource-server"),
        fetch: @escaping Fetch
    ) {
        self.minimumRefetchInterval = minimumRefetchInterval
        self.clock = clock
        self.logger = logger
        self.fetchSet = fetch
    }

    /// The key with this `kid`: from the cache, or after one refetch when the last fetch is at
    /// least ``minimumRefetchInterval`` old (or a fetch is already under way). `nil` when
    /// Gatehouse does not publish it.
    public func key(kid: String) async -> VerificationKey? {
        if let key = keys[kid] { return key }
        if let inFlight {
            await inFlight.value
            return keys[kid]
        }
        if let lastFetch, lastFetch.duration(to: clock()) < minimumRefetchInterval { return nil }
        await refresh()
        return keys[kid]
    }

    /// Fetches the set now, whatever the interval (joins a fetch already under way).
    public func refresh() async {
        if let inFlight {
            await inFlight.value
            return
        }
        lastFetch = clock()
        fetchCount += 1
        // The task runs on this actor; it clears `inFlight` itself, after every waiter has
        // been able to find it.
        let task = Task {
            do {
                let set = try await self.fetchSet()
                self.install(set)
            } catch {
                self.logger.warning("fetching the JWK Set failed; keeping the \(self.keys.count) key(s) already known", metadata: ["error": "\(error)"])
            }
            self.inFlight = nil
        }
        inFlight = task
        await task.value
    }

    /// The `kid`s currently cached.
    public var cachedKeyIDs: [String] { keys.keys.sorted() }

    private func install(_ set: JWKSet) {
        var installed: [String: VerificationKey] = [:]
        var duplicates: Set<String> = []
        for jwk in set.keys {
            do {
                let key = try VerificationKey(jwk: jwk)
                if installed.updateValue(key, forKey: key.kid) != nil { duplicates.insert(key.kid) }
            } catch {
                logger.debug("skipping a JWK", metadata: ["kid": "\(jwk.kid)", "error": "\(error)"])
            }
        }
        // A kid that names two keys names neither: which one signed is not knowable.
        for kid in duplicates { installed[kid] = nil }
        keys = installed
        logger.debug("JWK Set loaded", metadata: ["kids": "\(installed.keys.sorted())"])
    }

    /// GETs a JWK Set; entries that do not even decode as a JWK are dropped, not fatal.
    static func download(_ url: String, httpClient: HTTPClient, timeout: Duration, maximumSize: Int) async throws -> JWKSet {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
        let body = try await response.body.collect(upTo: maximumSize)
        guard response.status == .ok else {
            throw GatehouseResourceServerError("GET \(url) answered \(response.status.code)")
        }
        do {
            let set = try JSONDecoder().decode(LenientJWKSet.self, from: Data(body.readableBytesView))
            return JWKSet(keys: set.keys.compactMap(\.jwk))
        } catch {
            throw GatehouseResourceServerError("GET \(url) did not answer a JWK Set: \(error)")
        }
    }

    private struct LenientJWKSet: Decodable {
        var keys: [Entry]

        struct Entry: Decodable {
            var jwk: JWK?
            init(from decoder: any Decoder) throws {
                jwk = try? JWK(from: decoder)
            }
        }
    }
}

/// A failed discovery or JWK Set fetch.
public struct GatehouseResourceServerError: Error, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
