import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 14, point 2, after the red team: strangers guessing from many addresses lock an account
/// for strangers only, never for an address that proved the account's secret before
/// (docs/throttling.md, "Known-good addresses").
extension ThrottleTests {
    /// Whose secret strangers guess at: an API user's (its client id is in every JWT it holds), or
    /// a password-grant user's.
    enum GuessedAccount: String, CaseIterable, Sendable {
        case apiUser, passwordUser
    }

    /// The account's sign-in with `secret` from `address`: client_credentials as the API user
    /// `svc`, or the password grant as `alice`.
    func signIn(_ server: OAuthServer, _ account: GuessedAccount, _ app: OAuthApp, _ secret: String, from address: String) async throws -> Reply {
        switch account {
        case .apiUser: try await form(server, "/oauth/token", Self.cc, as: .apiUser("svc", secret), from: address)
        case .passwordUser: try await password(server, app, "alice", secret, from: address)
        }
    }

    /// Three wrong secrets from each of four addresses: twelve past the account's ten.
    func lockOut(_ server: OAuthServer, _ account: GuessedAccount, _ app: OAuthApp) async throws {
        for number in 0..<12 {
            let reply = try await signIn(server, account, app, "not the password", from: "203.0.113.\(number / 3)")
            #expect([400, 401, 429].contains(reply.status.code), "\(reply.text)")
        }
    }

    @Test(arguments: GuessedAccount.allCases)
    func strangersLockAnAccountForStrangersButNotForTheAddressItSignedInFrom(_ account: GuessedAccount) async throws {
        try await withPasswordUsers { server, app in
            try await server.createUser("svc", password: OAuthFixtures.password, apiUser: true)
            let home = "198.51.100.7"
            #expect(try await signIn(server, account, app, OAuthFixtures.password, from: home).status == .ok)
            try await lockOut(server, account, app)
            expectRefused(try await signIn(server, account, app, OAuthFixtures.password, from: "198.51.100.8"))
            let again = try await signIn(server, account, app, OAuthFixtures.password, from: home)
            #expect(again.status == .ok, "\(again.text)")
            // The home address keeps its own (account, address) limit: three typos lock it.
            for _ in 0..<3 {
                #expect([400, 401].contains(try await signIn(server, account, app, "not the password", from: home).status.code))
            }
            expectRefused(try await signIn(server, account, app, OAuthFixtures.password, from: home))
        }
    }

    @Test func aGrantThatNamesAUserWithoutItsPasswordDoesNotMakeItsAddressKnownGood() async throws {
        try await withPasswordUsers { server, passwordApp in
            let app = try await server.createApp(name: "other")
            let address = "198.51.100.9"
            let named = try await form(server, "/oauth/token", Self.cc + [("username", "alice")], as: .app(app), from: address)
            #expect(named.status == .ok, "\(named.text)")
            try await lockOut(server, .passwordUser, passwordApp)
            expectRefused(try await password(server, passwordApp, "alice", OAuthFixtures.password, from: address))
        }
    }
}
