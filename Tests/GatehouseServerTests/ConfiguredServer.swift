import Foundation
import GatehouseCore
@testable import GatehouseServer
import HummingbirdTesting

/// ``withAdminAPI(_:_:)`` with the configuration changed by `configure` first (trusted proxies,
/// throttle, metrics).
func withAdminAPI<Value: Sendable>(
    _ setup: TestingSetup = .router, configure: (inout ServerConfiguration) throws -> Void,
    _ body: @Sendable (AdminClient) async throws -> Value
) async throws -> Value {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    var configuration = sandbox.configuration
    try configure(&configuration)
    let app = try await buildApplication(configuration)
    return try await app.test(setup) { client in
        try await body(AdminClient(client: client, key: sandbox.adminKey))
    }
}
