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

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .defaultSQLite,
        issuer: String? = nil, masterKey: MasterKey? = nil, trustedProxies: [CIDR] = [],
        bootstrapAdminKey: String? = nil, logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.issuer = issuer ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.masterKey = masterKey
        self.trustedProxies = trustedProxies
        self.bootstrapAdminKey = bootstrapAdminKey
        self.logLevel = logLevel
    }
}
