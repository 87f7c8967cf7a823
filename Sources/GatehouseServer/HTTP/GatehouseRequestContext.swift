import GatehouseCore
import Hummingbird
import NIOCore

/// Per-request state: the peer address, the body limit, and the admin who was authenticated.
public struct GatehouseRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by ``AdminAuthenticator`` on admin routes.
    public var actor: AuditActor?
    public var maxUploadSize: Int { ServerLimits.maxBodySize }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.actor = nil
    }

    /// The peer's IP address as text, for the audit log.
    public var peerIP: String? { remoteAddress?.ipAddress }

    /// The peer's IP address from the socket address's bytes, not through its text.
    var peerAddress: GatehouseCore.IPAddress? { Self.peerAddress(of: remoteAddress) }

    static func peerAddress(of remoteAddress: SocketAddress?) -> GatehouseCore.IPAddress? {
        switch remoteAddress {
        // `sin_addr` sits 4 bytes into a sockaddr_in and `sin6_addr` 8 bytes into a sockaddr_in6,
        // on Linux and on the BSDs alike (RFC 3493 §3.3, §3.4).
        case .v4(let address): withUnsafeBytes(of: address.address) { GatehouseCore.IPAddress(networkBytes: Array($0[4..<8])) }
        case .v6(let address): withUnsafeBytes(of: address.address) { GatehouseCore.IPAddress(networkBytes: Array($0[8..<24])) }
        default: nil
        }
    }
}

/// Limits shared by every request context.
enum ServerLimits {
    /// SPEC §7: 64 KiB outside the gateway.
    static let maxBodySize = 64 * 1024
}
