import Foundation
import GatehouseCore
import HTTPTypes
import Testing

/// Issue 14, point 3: a client id or user name longer than any can be costs no lookup, no cached
/// miss and no KDF; it is refused in the endpoint's own format.
@Suite struct UnauthenticatedWorkTests {
    @Test(arguments: [201, 64 * 1024])
    func aClientIdLongerThanAnyIsRefusedWithoutALookup(length: Int) async throws {
        try await VerifierBench.with { bench in
            let authenticator = ClientAuthenticator(store: bench.store, hasher: bench.hasher, passwords: PasswordHasher(rounds: 1000))
            let credentials = ClientCredentials(clientId: String(repeating: "é", count: length), secret: "secret", method: .clientSecretBasic)
            await #expect(throws: OAuthError.self) { try await authenticator.authenticate(credentials) }
            #expect(bench.store.all.isEmpty, "\(bench.store.all)")
        }
    }

    @Test func aClientIdOfTheLongestUserNameIsStillLookedUp() async throws {
        try await VerifierBench.with { bench in
            let authenticator = ClientAuthenticator(store: bench.store, hasher: bench.hasher, passwords: PasswordHasher(rounds: 1000))
            let credentials = ClientCredentials(clientId: String(repeating: "é", count: 200), secret: "secret", method: .clientSecretBasic)
            await #expect(throws: OAuthError.self) { try await authenticator.authenticate(credentials) }
            #expect(bench.store.count("apiUser(username:)") == 1)
        }
    }

    @Test func theTokenEndpointAnswersAnOverlongClientIdAndUserNameInItsOwnFormat() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp(grantTypes: ["password"])
            let long = String(repeating: "a", count: 64 * 1024)
            let client = try await server.token([("grant_type", "client_credentials")], as: .apiUser(long, "password"))
            #expect(client.status == .unauthorized)
            #expect(client.string("error") == "invalid_client")
            // Within the 64 KiB body limit, beyond any user name.
            let user = try await server.password(app, username: String(repeating: "a", count: 201), password: "password")
            #expect(user.status == .badRequest)
            #expect(user.string("error") == "invalid_request")
            #expect(user.string("error_description")?.contains("longer than any user name") == true)
        }
    }
}
