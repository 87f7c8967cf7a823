import Foundation
import GatehouseCore
import GatehouseStore
import Logging

/// Reads a generated key back through the real store and the server's verifier and policy, so a
/// seeded database that the server would not accept fails here, not in the load test.
enum SeedCheck {
    static func verify(key: String, in url: DatabaseURL, masterKey: MasterKey?, logger: Logger) async throws {
        let database = try await Database.open(url, logger: logger)
        do {
            try await verify(key: key, store: database.store, masterKey: masterKey)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    private static func verify(key: String, store: SQLStore, masterKey: MasterKey?) async throws {
        let hasher = try await ServerSecrets.hasher(store: store, masterKey: masterKey)
        guard let stored = try await store.apiKey(hash: hasher.hash(key)) else {
            throw BenchFailure("check failed: a sampled key is not found by SQLStore.apiKey(hash:)")
        }
        guard let applicationId = stored.applicationId, try await store.application(id: applicationId) != nil else {
            throw BenchFailure("check failed: key \(stored.id) does not resolve to its application")
        }
        let now = Date()
        let verifier = APIKeyVerifier(store: store, hasher: hasher)
        guard let verified = try await verifier.inspect(key, now: now) else {
            throw BenchFailure("check failed: APIKeyVerifier refuses key \(stored.id)")
        }
        let request = AccessRequest(method: "GET", uri: "/x", clientIP: IPAddress("127.0.0.1"))
        guard case .allow = Policy.evaluate(request, credential: .apiKey(verified.key, application: verified.application), now: now) else {
            throw BenchFailure("check failed: policy denies GET /x from 127.0.0.1 for key \(stored.id)")
        }
        guard try await verifier.inspect(SecretFormat.generate(.apiKey), now: now) == nil else {
            throw BenchFailure("check failed: a made-up key verifies")
        }
        print("check: key \(stored.keyPrefix)… → application \(applicationId) verifies and is allowed")
    }
}
