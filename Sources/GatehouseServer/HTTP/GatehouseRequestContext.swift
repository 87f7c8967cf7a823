import GatehouseCore
import Hummingbird
import NIOCore

/// Per-request state: the peer address, the body limit, and the admin who was authenticated.
public struct GatehouseRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by ``AdminAuthenticator`` on admin routes.
    public var actor: Actor?
    public var maxUploadSize: Int { ServerLimits.maxBodySize }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.actor = nil
    }

    /// The peer's IP address as text, for the audit log.
    public var peerIP: String? { remoteAddress?.ipAddress }
}

/// Limits shared by every request context.
enum ServerLimits {
    /// SPEC §7: 64 KiB outside the gateway.
    static let maxBodySize = 64 * 1024
}
