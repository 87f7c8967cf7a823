import Foundation
import GatehouseCore
import GatehouseStore
import Logging

/// Everything `gatehouse serve` needs, already parsed and validated (SPEC §2).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    /// The `iss` of issued tokens; `http://HOST:PORT` by default.
    public var issuer: String
    public var masterKey: MasterKey?
    /// CIDRs whose `X-Forwarded-For` is believed.
    public var trustedProxies: [CIDR]
    /// `GATEHOUSE_BOOTSTRAP_ADMIN_KEY`.
    public var bootstrapAdminKey: String?
    public var logLevel: Logger.Level
    /// PBKDF2 rounds of new password hashes (OWASP 2023: 600,000); tests lower it.
    public var passwordRounds: Int = 600_000
    /// The algorithm of the first signing key and of rotations (`--signing-alg`).
    public var signingAlgorithm: SigningAlgorithm = .es256
    /// The `aud` of issued access tokens; the issuer unless set (`GATEHOUSE_AUDIENCE`).
    public var audience: String
    /// The gateway listener (`--gateway-port`, `--upstream`), when one is wanted.
    public var gateway: Gateway?
    /// How repeated failed authentication is slowed and refused (SPEC §7; `--auth-failure-limit`,
    /// `--auth-failure-window`, `--auth-lockout`).
    public var throttle: ThrottlePolicy = .standard
    /// Seconds a connection may sit idle before it is closed (`--idle-timeout`): between requests,
    /// or while a request's head or body has stopped arriving; never while an answer is under way.
    /// 75 s outlasts nginx's upstream keep-alive (60 s), so nginx lets go of a connection first.
    public var idleTimeoutSeconds: Int64 = 75
    /// `--allow-plaintext-secrets`: start on PostgreSQL without `GATEHOUSE_MASTER_KEY`, keeping the
    /// pepper and the signing keys in the clear in a database that other people administer
    /// (docs/secrets.md). Without it, such a start is refused.
    public var allowPlaintextSecrets = false
    /// Where and to whom `/metrics` is served (issue 14 point 12, docs/admin-api.md).
    public var metrics = Metrics()

    /// `/metrics`: on its own listener (`--metrics-port`), and/or behind a bearer token
    /// (`GATEHOUSE_METRICS_TOKEN`). With neither, it is not served at all.
    public struct Metrics: Sendable {
        /// A listener that serves `/metrics` only, on `host`; `/metrics` then leaves the main port.
        public var port: Int?
        /// Required on whichever listener serves `/metrics`; without a port, `/metrics` is served
        /// on the main port only when a token is set.
        public var token: MetricsToken?

        public init(port: Int? = nil, token: MetricsToken? = nil) {
            self.port = port
            self.token = token
        }

        /// Whether the main port serves `/metrics`.
        var onMainPort: Bool { port == nil && token != nil }
    }

    /// A second listener that checks every request and proxies the allowed ones (SPEC §5).
    public struct Gateway: Sendable {
        public var port: Int
        public var upstream: URL
        /// How long the upstream may take to answer before the gateway gives up with 504.
        public var timeoutSeconds: Int64

        public init(port: Int, upstream: URL, timeoutSeconds: Int64 = 30) {
            self.port = port
            self.upstream = upstream
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .defaultSQLite,
        issuer: String? = nil, masterKey: MasterKey? = nil, trustedProxies: [CIDR] = [],
        bootstrapAdminKey: String? = nil, logLevel: Logger.Level = .info,
        passwordRounds: Int = 600_000, signingAlgorithm: SigningAlgorithm = .es256, audience: String? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.issuer = issuer ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.masterKey = masterKey
        self.trustedProxies = trustedProxies
        self.bootstrapAdminKey = bootstrapAdminKey
        self.logLevel = logLevel
        self.passwordRounds = passwordRounds
        self.signingAlgorithm = signingAlgorithm
        self.audience = audience ?? self.issuer
    }
}
