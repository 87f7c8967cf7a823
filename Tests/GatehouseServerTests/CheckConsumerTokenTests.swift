import Foundation
import GatehouseCore
import Hummingbird
import HummingbirdTesting
import Testing

/// SPEC §4/§5: a consumer token is a bearer credential at `/v1/check`, acting for its consumer
/// through the API key it was exchanged with (that key's application policy applies).
@Suite struct CheckConsumerTokenTests {
    @Test("A consumer token passes the check as its consumer, under its app's policy")
    func consumerTokenIsChecked() async throws {
        try await withCheckServer { server in
            let fixture = try await server.consumerFixture()
            let reply = try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]])
            let token = try expectConsumerToken(reply)
            let allowed = try await server.check(.bearer(token), "GET", "/v1/orders/1", query: "?required_scope=orders:read")
            expectOK(allowed)
            #expect(allowed.header("X-Gatehouse-Subject") == fixture.userId)
            #expect(allowed.header("X-Gatehouse-Client") == fixture.app.clientId)
            #expect(allowed.header("X-Gatehouse-Scope") == "orders:read")
            // The key carries orders:read only.
            expectDenied(try await server.check(.bearer(token), "GET", "/v1/orders/1", query: "?required_scope=orders:write"), "insufficient_scope")
            // The consumer is disabled: the token stops working at once.
            let disabled = try await server.api.patch("/admin/v1/users/\(fixture.userId)", ["disabled": true])
            #expect(disabled.status == .ok)
            expectUnauthorized(try await server.check(.bearer(token), "GET", "/v1/orders/1"))
        }
    }

    @Test("A consumer token is not an access token: introspection calls it inactive")
    func consumerTokenIsNotIntrospectedAsAccessToken() async throws {
        try await withCheckServer { server in
            let fixture = try await server.consumerFixture()
            let token = try expectConsumerToken(
                try await server.consumerToken(apiKey: fixture.apiKey, ["access_token_identifier": ["authentication_code": fixture.code]])
            )
            let answer = try await server.introspect(token, as: .admin)
            #expect(answer["active"] as? Bool == false)
        }
    }
}
