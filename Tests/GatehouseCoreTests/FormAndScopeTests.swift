import Foundation
@testable import GatehouseCore
import Testing

@Suite("OAuth: scope requests and token request parameters")
struct ScopeAndTokenRequestTests {
    static let allowed = ["orders:read", "orders:write", "profile"]

    @Test("No scope requested grants every allowed scope, in the allowed order")
    func defaultIsAll() throws {
        #expect(try ScopeRequest.grant(nil, allowed: Self.allowed) == Self.allowed)
        #expect(try ScopeRequest.grant(nil, allowed: []) == [])
    }

    @Test("A subset is granted exactly, duplicates once")
    func subset() throws {
        #expect(try ScopeRequest.grant(["profile"], allowed: Self.allowed) == ["profile"])
        #expect(try ScopeRequest.grant(["orders:write", "orders:read"], allowed: Self.allowed) == ["orders:write", "orders:read"])
        #expect(try ScopeRequest.grant(["profile", "profile"], allowed: Self.allowed) == ["profile"])
        #expect(try ScopeRequest.grant([], allowed: Self.allowed) == [])
    }

    @Test("A scope outside the allowed set is invalid_scope", arguments: [
        ["admin"], ["orders:read", "admin"], ["Orders:read"], ["orders"], ["orders:read*"], ["profile "],
    ])
    func outside(_ requested: [String]) {
        #expect(throws: OAuthError.invalidScope("scope '\(requested.first { !Self.allowed.contains($0) }!)' is not allowed for this client")) {
            try ScopeRequest.grant(requested, allowed: Self.allowed)
        }
    }

    @Test("Any scope is invalid_scope for a client without scopes")
    func noScopesAllowed() {
        #expect { try ScopeRequest.grant(["x"], allowed: []) } throws: { ($0 as? OAuthError)?.code == .invalidScope }
    }

    @Test("The invalid_scope description cuts an absurdly long scope")
    func longScopeDescription() throws {
        let long = String(repeating: "s", count: 10_000)
        do {
            _ = try ScopeRequest.grant([long], allowed: Self.allowed)
            Issue.record("granted")
        } catch let error as OAuthError {
            #expect(error.code == .invalidScope)
            #expect(error.description.count < 300)
        }
    }

    @Test("TokenRequest splits scope on spaces, treats empty values as absent and requires parameters")
    func tokenRequest() throws {
        let request = TokenRequest(parameters: ["grant_type": "client_credentials", "scope": "a  b c", "username": ""])
        #expect(request.scopes == ["a", "b", "c"])
        #expect(request["username"] == nil)
        #expect(try request.require("grant_type") == "client_credentials")
        #expect(throws: OAuthError.invalidRequest("missing parameter 'username'")) { try request.require("username") }
        #expect(TokenRequest(parameters: [:]).scopes == nil)
        #expect(TokenRequest(parameters: ["scope": ""]).scopes == nil, "RFC 6749 §3.2: an empty parameter is treated as omitted")
        #expect(TokenRequest(parameters: ["scope": " "]).scopes == [])
    }

    @Test("OAuth error codes map to RFC 6749 §5.2 statuses")
    func statuses() {
        #expect(OAuthError(.invalidRequest, "").httpStatusCode == 400)
        #expect(OAuthError(.invalidClient, "").httpStatusCode == 401)
        #expect(OAuthError(.invalidGrant, "").httpStatusCode == 400)
        #expect(OAuthError(.unauthorizedClient, "").httpStatusCode == 400)
        #expect(OAuthError(.unsupportedGrantType, "").httpStatusCode == 400)
        #expect(OAuthError(.invalidScope, "").httpStatusCode == 400)
        #expect(OAuthError(.temporarilyUnavailable, "").httpStatusCode == 429)
        #expect(OAuthError.invalidClient.code.rawValue == "invalid_client")
    }

    @Test("AuthenticatedClient: API users may use client_credentials only")
    func apiUserGrants() {
        let user = User(
            id: "u1", organisationId: "o1", username: "svc", passwordHash: "x", apiUser: true, disabled: false, units: [],
            createdAt: Date(), updatedAt: Date()
        )
        let client = AuthenticatedClient.apiUser(user)
        #expect(client.clientId == "svc")
        #expect(client.organisationId == "o1")
        #expect(client.allows(grantType: "client_credentials"))
        #expect(!client.allows(grantType: "password"))
        #expect(!client.allows(grantType: "refresh_token"))
    }
}
