import Foundation
import GatehouseCore
@testable import GatehouseServer
import GatehouseStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// SPEC §2: while the database is away, every request that needs it answers 503 with
/// `Retry-After` in its endpoint's own format (never a 500), what memory can answer keeps working,
/// and everything works again once the database is back. The store here is real SQLite behind
/// ``CountingStore``, which throws ``StoreUnavailable`` as the real stores do on a lost database
/// (the real databases going away are driven end to end in interop/test_database_away.py).
@Suite struct DatabaseAwayTests {
    @Test func everyEndpointThatNeedsTheDatabaseAnswers503InItsOwnFormatAndRecovers() async throws {
        try await withAwayableServer { server, store in
            let app = try await server.createApp(name: "away", grantTypes: ["client_credentials", "password", "refresh_token"])
            _ = try await server.createUser("carol")
            let jwt = try await server.accessToken(app)
            let tokens = try await server.passwordTokens(app, username: "carol")
            let keyReply = try await server.api.post("/admin/v1/apikeys", ["name": "k", "application": app.id])
            let apiKey = try #require(keyReply.string("key"))
            #expect(try await server.check(.bearer(jwt)).status == .ok, "the token is checked once, so the cache holds what it needs")

            store.setAway(true)

            let admin = try await server.api.post("/admin/v1/orgs", ["name": "while-away"])
            expectUnavailable(admin, errorKey: "error", "admin API")
            let refresh = try await server.refresh(app, tokens.refresh)
            expectUnavailable(refresh, errorKey: "error", "refresh grant (a write)")
            let consumer = try await server.send(
                "/authentication/consumer_application_key/token", body: ByteBuffer(string: #"{"access_token_identifier":{"authentication_code":"x"}}"#),
                contentType: "application/json", authorization: basicAuthorization(apiKey, "")
            )
            #expect(consumer.status == .serviceUnavailable, "consumer token: \(consumer.text)")
            #expect((consumer["status"] as? [String: Any])?["code"] as? String == "SERVICE_UNAVAILABLE")
            #expect(consumer.headers[.retryAfter] != nil)
            expectUnavailable(try await server.check(.bearer(apiKey)), errorKey: "error", "check with an API key never seen")
            let ready = try await server.send(.get, "/readyz", body: nil, contentType: nil)
            #expect(ready.status == .serviceUnavailable)

            // Answered from memory: the signature, the application and the revocation list.
            #expect(try await server.check(.bearer(jwt)).status == .ok, "a token already checked is still checked from memory")

            store.setAway(false)
            #expect(try await server.api.post("/admin/v1/orgs", ["name": "after-away"]).status == .created)
            #expect(try await server.refresh(app, tokens.refresh).status == .ok)
            #expect(try await server.check(.bearer(apiKey)).status == .ok)
            #expect(try await server.send(.get, "/readyz", body: nil, contentType: nil).status == .ok)
        }
    }

    func expectUnavailable(_ reply: Reply, errorKey: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .serviceUnavailable, "\(what): \(reply.status) \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.string(errorKey) == "temporarily_unavailable", "\(what): \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == String(StoreUnavailable.retryAfterSeconds), "\(what)", sourceLocation: sourceLocation)
    }
}

/// A server over a fresh SQLite database behind a ``CountingStore`` that can be sent away.
func withAwayableServer(_ body: @Sendable (OAuthServer, CountingStore) async throws -> Void) async throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let configuration = sandbox.oauthConfiguration()
    let database = try await Database.open(configuration.database, logger: quietLogger)
    do {
        let store = CountingStore(database.store)
        let server = try await buildServer(configuration, store: store, logger: quietLogger)
        let keys = try await readSigningKeys(configuration)
        try await Application(router: server.router, logger: quietLogger).test(.router) { client in
            try await body(OAuthServer(api: AdminClient(client: client, key: sandbox.adminKey), configuration: configuration, keys: keys), store)
        }
    } catch {
        try? await database.close()
        throw error
    }
    try await database.close()
}
