import Hummingbird
import HummingbirdCore

extension HTTPServerBuilder {
    /// HTTP/1.1 as Gatehouse serves it on both listeners: ``ExpectContinueHandler`` in the
    /// pipeline, and idle connections closed after `idleTimeoutSeconds` (Hummingbird keeps them
    /// forever by default, so a client that stops sending holds its connection).
    static func gatehouseHTTP1(idleTimeoutSeconds: Int64) -> HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(idleTimeoutSeconds)))
    }
}
