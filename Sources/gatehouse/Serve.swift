import Foundation
import ArgumentParser
import GatehouseCore
import GatehouseServer
import GatehouseStore
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `gatehouse serve`: run the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    /// Set by ``Gatehouse/main()`` before the command runs, on the main thread.
    nonisolated(unsafe) static var tasksRunOnEventLoops = false

    static let configuration = CommandConfiguration(abstract: "Run the server (SQLite ./gatehouse.sqlite by default).")

    @Option(help: "Address to listen on (env GATEHOUSE_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env GATEHOUSE_PORT; default 8080).") var port: Int?
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Issuer of tokens (env GATEHOUSE_ISSUER; default http://HOST:PORT).") var issuer: String?
    @Option(help: "Comma-separated CIDRs whose X-Forwarded-For is believed (env GATEHOUSE_TRUSTED_PROXIES).")
    var trustedProxies: String?
    @Option(help: "ES256, RS256 or EdDSA: the first signing key's and rotations' algorithm (env GATEHOUSE_SIGNING_ALG; default ES256).")
    var signingAlg: String?
    @Option(help: "The aud of access tokens (env GATEHOUSE_AUDIENCE; default the issuer).") var audience: String?
    @Option(help: "Port of the gateway listener, which checks and proxies every request (env GATEHOUSE_GATEWAY_PORT; needs --upstream).")
    var gatewayPort: Int?
    @Option(help: "The API behind the gateway listener, e.g. http://127.0.0.1:9000 (env GATEHOUSE_UPSTREAM).") var upstream: String?
    @Option(help: "Seconds the upstream may take before the gateway answers 504 (env GATEHOUSE_UPSTREAM_TIMEOUT; default 30).")
    var upstreamTimeout: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (env GATEHOUSE_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(help: "Failed authentications from one IP that lock it; a password is also limited per account from one IP (half this) and per account (5 times this), over 60 windows; 0 turns the limit off (env GATEHOUSE_AUTH_FAILURE_LIMIT; default 20).")
    var authFailureLimit: Int?
    @Option(help: "Seconds over which that many failures are forgotten (env GATEHOUSE_AUTH_FAILURE_WINDOW; default 60).")
    var authFailureWindow: Int?
    @Option(help: "Seconds of the first lock, doubled for each lock in a row up to 900 or this (env GATEHOUSE_AUTH_LOCKOUT; default 60).")
    var authLockout: Int?
    @Option(help: "Seconds a connection may sit idle, between requests or in the middle of one, before it is closed (env GATEHOUSE_IDLE_TIMEOUT; default 75).")
    var idleTimeout: Int?
    @Flag(help: "Start on PostgreSQL without GATEHOUSE_MASTER_KEY, keeping the pepper and signing keys unencrypted there (env GATEHOUSE_ALLOW_PLAINTEXT_SECRETS=1).")
    var allowPlaintextSecrets = false

    @Option(help: "Port of a listener that serves only /metrics, which then leaves --port (env GATEHOUSE_METRICS_PORT; without it and without GATEHOUSE_METRICS_TOKEN, /metrics is not served).")
    var metricsPort: Int?

    func run() async throws {
        pinLocalTimeZone()
        try await reportingFailures {
            let configuration = try serverConfiguration()
            let app = try await buildApplication(configuration)
            if !Self.tasksRunOnEventLoops {
                app.logger.notice("Swift tasks run on the default global executor: NIO's event loops could not be installed as it")
            }
            try await app.runService()
        }
    }

    func serverConfiguration() throws -> ServerConfiguration {
        let host = Setting.resolve(host, env: "GATEHOUSE_HOST") ?? "127.0.0.1"
        let port = try Setting.wholeNumber(port, env: "GATEHOUSE_PORT", field: "port", default: 8080, in: 0...65535)
        let proxies = try (Setting.resolve(trustedProxies, env: "GATEHOUSE_TRUSTED_PROXIES") ?? "")
            .split(separator: ",").map { text in
                let entry = text.trimmingCharacters(in: .whitespaces)
                guard let cidr = CIDR(entry) else { throw ValidationError(field: "trusted-proxies", message: "'\(entry)' is not a CIDR") }
                return cidr
            }
        let levelText = Setting.resolve(logLevel, env: "GATEHOUSE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError(field: "log-level", message: "'\(levelText)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let algorithmText = Setting.resolve(signingAlg, env: "GATEHOUSE_SIGNING_ALG") ?? "ES256"
        guard let algorithm = SigningAlgorithm(rawValue: algorithmText) else {
            throw ValidationError(field: "signing-alg", message: "'\(algorithmText)' is not one of ES256, RS256, EdDSA")
        }
        let gatewayPortText = Setting.resolve(gatewayPort.map(String.init), env: "GATEHOUSE_GATEWAY_PORT")
        let upstreamText = Setting.resolve(upstream, env: "GATEHOUSE_UPSTREAM")
        var gateway: ServerConfiguration.Gateway?
        switch (gatewayPortText, upstreamText) {
        case (nil, nil):
            gateway = nil
        case (let portText?, let upstreamText?):
            guard let gatewayPort = Int(portText), (1...65535).contains(gatewayPort), gatewayPort != port else {
                throw ValidationError(field: "gateway-port", message: "must be a free port from 1 to 65535 other than --port (got '\(portText)')")
            }
            guard let url = URL(string: upstreamText), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                  url.query == nil, url.fragment == nil
            else {
                throw ValidationError(field: "upstream", message: "must be an http(s) URL such as http://127.0.0.1:9000 (got '\(upstreamText)')")
            }
            let timeout = try Setting.wholeNumber(upstreamTimeout, env: "GATEHOUSE_UPSTREAM_TIMEOUT", field: "upstream-timeout", default: 30, in: 1...3600)
            gateway = ServerConfiguration.Gateway(port: gatewayPort, upstream: url, timeoutSeconds: Int64(timeout))
        default:
            throw ValidationError(field: "gateway-port", message: "--gateway-port and --upstream go together")
        }
        let metrics = try metrics(mainPort: port)
        if let metricsPort = metrics.port, metricsPort == gateway?.port {
            throw ValidationError(field: "metrics-port", message: "must differ from --gateway-port (got \(metricsPort))")
        }
        return ServerConfiguration(
            host: host, port: port, database: try database.url(),
            issuer: Setting.resolve(issuer, env: "GATEHOUSE_ISSUER"),
            masterKey: try Setting.resolve(nil, env: "GATEHOUSE_MASTER_KEY").map(MasterKey.init(base64:)),
            trustedProxies: proxies,
            bootstrapAdminKey: Setting.resolve(nil, env: "GATEHOUSE_BOOTSTRAP_ADMIN_KEY")?.trimmingCharacters(in: .whitespacesAndNewlines),
            logLevel: level,
            signingAlgorithm: algorithm,
            audience: Setting.resolve(audience, env: "GATEHOUSE_AUDIENCE")
        ).with(
            gateway: gateway, throttle: try throttlePolicy(), metrics: metrics,
            idleTimeout: try Setting.wholeNumber(idleTimeout, env: "GATEHOUSE_IDLE_TIMEOUT", field: "idle-timeout", default: 75, in: 1...86_400)
        ).with(allowPlaintextSecrets: try Setting.flag(allowPlaintextSecrets, env: "GATEHOUSE_ALLOW_PLAINTEXT_SECRETS"))
    }

    /// `--metrics-port` and `GATEHOUSE_METRICS_TOKEN` (a secret: environment only, never a flag
    /// that `ps` would show).
    func metrics(mainPort: Int) throws -> ServerConfiguration.Metrics {
        var port: Int?
        if let text = Setting.resolve(metricsPort.map(String.init), env: "GATEHOUSE_METRICS_PORT") {
            guard let value = Int(text), (1...65535).contains(value), value != mainPort else {
                throw ValidationError(field: "metrics-port", message: "must be a free port from 1 to 65535 other than --port (got '\(text.prefix(20))')")
            }
            port = value
        }
        let token = try Setting.resolve(nil, env: "GATEHOUSE_METRICS_TOKEN").map(MetricsToken.init)
        return ServerConfiguration.Metrics(port: port, token: token)
    }

    /// SPEC §7's limits: `--auth-failure-limit`, `--auth-failure-window`, `--auth-lockout`.
    func throttlePolicy() throws -> ThrottlePolicy {
        let standard = ThrottlePolicy.standard
        return ThrottlePolicy(
            limit: try Setting.wholeNumber(
                authFailureLimit, env: "GATEHOUSE_AUTH_FAILURE_LIMIT", field: "auth-failure-limit", default: standard.limit, in: 0...1_000_000
            ),
            window: TimeInterval(try Setting.wholeNumber(
                authFailureWindow, env: "GATEHOUSE_AUTH_FAILURE_WINDOW", field: "auth-failure-window", default: Int(standard.window), in: 1...86_400
            )),
            lockout: TimeInterval(try Setting.wholeNumber(
                authLockout, env: "GATEHOUSE_AUTH_LOCKOUT", field: "auth-lockout", default: Int(standard.lockout), in: 1...86_400
            ))
        )
    }
}

extension ServerConfiguration {
    func with(gateway: Gateway?, throttle: ThrottlePolicy, metrics: Metrics, idleTimeout: Int) -> ServerConfiguration {
        var copy = self
        copy.metrics = metrics
        copy.gateway = gateway
        copy.throttle = throttle
        copy.idleTimeoutSeconds = Int64(idleTimeout)
        return copy
    }

    func with(allowPlaintextSecrets: Bool) -> ServerConfiguration {
        var copy = self
        copy.allowPlaintextSecrets = allowPlaintextSecrets
        return copy
    }
}

/// swift-log's stream handler stamps each line with `localtime` + `strftime`; with `TZ` unset,
/// glibc then re-reads (stats) /etc/localtime on every call, which was 4% of a request's CPU
/// with one log line per request. `TZ=:/etc/localtime` names the same zone and is read once.
func pinLocalTimeZone() {
    #if os(Linux)
    setenv("TZ", ":/etc/localtime", 0)
    #endif
}

/// Runs Swift concurrency's jobs on NIO's event loops (the ones Hummingbird serves on) instead of
/// the global thread pool. A request's handler then resumes on its connection's own event loop, so
/// no request crosses threads between the socket and the handler: on the check path this took
/// /v1/check with a JWT from 0.73× to 0.86× of /healthz on 2 cores (docs/performance.md). Nothing
/// in Gatehouse waits on a task for long: SQLite runs on SQLiteNIO's thread pool and password
/// hashing on its own low-priority threads (``LowPriorityThread``). The request log line is
/// written synchronously to stdout, now from the event loop (a slow log pipe slows the loop, as it
/// slowed the pool threads before). NIO allows the switch only from the main thread.
@MainActor func runTasksOnEventLoops() -> Bool {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
