import Foundation
@testable import GatehouseCore
import Testing

@Suite struct PolicyTests {
    typealias F = PolicyFixture

    // MARK: identity

    @Test func accessTokensActAsTheirClaims() {
        let claims = F.claims(sub: "cust-9", scope: "a b", customer: "cust-9")
        let decision = F.evaluate(F.request(), .accessToken(claims, application: F.application()))
        #expect(decision == .allow(Identity(subject: "cust-9", clientId: "app-client", organisationId: "org-1", scopes: ["a", "b"], customer: "cust-9")))
    }

    @Test func userOwnedKeysActAsTheUserUnderAnAPIKeyClient() {
        let key = F.apiKey(userId: "user-7", scopes: ["s"])
        #expect(F.evaluate(F.request(), .apiKey(key, application: nil))
            == .allow(Identity(subject: "user-7", clientId: "apikey:key-1", organisationId: "org-2", scopes: ["s"])))
    }

    @Test func applicationKeysActAsTheApplication() {
        let key = F.apiKey(applicationId: "app-1", scopes: ["k"])
        #expect(F.evaluate(F.request(), .apiKey(key, application: F.application(scopes: ["app-scope"])))
            == .allow(Identity(subject: "app-client", clientId: "app-client", organisationId: "org-2", scopes: ["k"])))
    }

    @Test func basicActsAsTheApplicationWithItsScopes() {
        let app = F.application(authorizationType: .basic, scopes: ["x", "y"])
        #expect(F.evaluate(F.request(), .basic(app))
            == .allow(Identity(subject: "app-client", clientId: "app-client", organisationId: "org-1", scopes: ["x", "y"])))
    }

    // MARK: authorization type

    @Test func bearerApplicationsMayNotSendBasicWithEachRequest() {
        #expect(F.evaluate(F.request(), .basic(F.application(authorizationType: .bearer))) == .deny(.authorizationType))
        #expect(F.evaluate(F.request(), .accessToken(F.claims(), application: F.application(authorizationType: .bearer))).isAllowed)
        #expect(F.evaluate(F.request(), .apiKey(F.apiKey(applicationId: "app-1"), application: F.application(authorizationType: .bearer))).isAllowed)
    }

    // MARK: IP

    @Test(arguments: [
        (["203.0.113.0/24"], "203.0.113.7", true), (["203.0.113.0/24"], "203.0.114.7", false),
        (["203.0.113.0/24"], "::ffff:203.0.113.7", true), (["2001:db8::/32"], "2001:db8:1::1", true),
        (["2001:db8::/32"], "2001:db9::1", false), (["2001:db8::/32"], "203.0.113.7", false),
        (["192.0.2.1/32", "2001:db8::/32"], "2001:db8::2", true), (["0.0.0.0/0"], "198.51.100.1", true),
        (["0.0.0.0/0"], "2001:db8::1", false), (["::/0"], "2001:db8::1", true), (["not-a-cidr"], "203.0.113.7", false),
    ])
    func clientsMustBeInTheAllowList(_ allowed: [String], _ client: String, _ expected: Bool) {
        let app = F.application(allowedIPs: allowed)
        let decision = F.evaluate(F.request(ip: client), .accessToken(F.claims(), application: app))
        #expect(decision == (expected ? decision : .deny(.ipNotAllowed)))
        #expect(decision.isAllowed == expected)
    }

    @Test func anUnknownClientFailsANonEmptyAllowListButPassesAnEmptyOne() {
        #expect(F.evaluate(F.request(ip: nil), .basic(F.application(authorizationType: .basic, allowedIPs: ["0.0.0.0/0", "::/0"])))
            == .deny(.ipNotAllowed))
        #expect(F.evaluate(F.request(ip: nil), .basic(F.application(authorizationType: .basic))).isAllowed)
    }

    // MARK: method

    @Test(arguments: [
        (["GET"], "GET", true), (["GET"], "get", true), (["GET"], "Get", true), (["GET"], "HEAD", false),
        (["GET"], "POST", false), (["POST"], "poſt", false), (["GET"], "GET ", false), (["GET"], "", false),
        (["GET", "HEAD"], "HEAD", true), ([], "PURGE", true),
    ])
    func methodsMustBeAllowedAndHeadIsNotImpliedByGet(_ allowed: [String], _ method: String, _ expected: Bool) {
        let decision = F.evaluate(F.request(method), .accessToken(F.claims(), application: F.application(allowedMethods: allowed)))
        #expect(decision == (expected ? decision : .deny(.methodNotAllowed)))
        #expect(decision.isAllowed == expected)
    }

    // MARK: resources

    @Test(arguments: [
        ("/v1/orders", true), ("/v1/orders/42/items", true), ("/v1/orders/42/items/", false), ("/v1/public/", true), ("/v1/orders/42", false),
        ("/v1/public", true), ("/v1/public/a/b?x=1", true), ("/v1/admin", false), ("/V1/orders", false),
        ("/v1/public/../admin", false), ("/v1/public/%2e%2e/admin", false), ("/v1/public/%2E%2E/admin", false),
        ("/v1/public/..;/admin", false), ("/v1/public/a%2Fb", false), ("/v1/public/a\\b", false), ("/v1/public/%00", false),
        ("/v1/public/..", false), ("/../v1/orders", false), ("/v1/admin/../orders", false), ("//v1///orders", false),
        ("/v1/admin//../orders", false), ("/v1/public/%252e%252e/admin", false), ("/v1/public;/../admin", false),
        ("/v1/%6Frders", true), ("v1/orders", false), ("", false),
    ])
    func pathsMustMatchAnAssignedResourceAndAreNeverResolved(_ uri: String, _ expected: Bool) {
        let app = F.application(resources: ["/v1/orders", "/v1/orders/*/items", "/v1/public/**"])
        let decision = F.evaluate(F.request("GET", uri), .accessToken(F.claims(), application: app))
        #expect(decision == (expected ? decision : .deny(.resourceNotAllowed)))
        #expect(decision.isAllowed == expected)
    }

    @Test(arguments: [
        "/../etc/passwd", "/a%2fb", "/a%00", "/a\\b", "/%c0%ae%c0%ae/x", "/a%zz", "*", "/a//b", "/a/./b", "/a/../b", "/a;x", "/a%25",
    ])
    func readerDependentPathsAreRefusedForEveryCredentialBeforeAnyOtherCheck(_ uri: String) {
        let strict = F.application(authorizationType: .bearer, allowedIPs: ["192.0.2.0/24"], allowedMethods: ["GET"])
        #expect(F.evaluate(F.request("GET", uri), .apiKey(F.apiKey(userId: "u"), application: nil)) == .deny(.resourceNotAllowed))
        #expect(F.evaluate(F.request("GET", uri), .accessToken(F.claims(), application: F.application())) == .deny(.resourceNotAllowed))
        #expect(F.evaluate(F.request("POST", uri, ip: "198.51.100.1"), .basic(strict)) == .deny(.resourceNotAllowed))
    }

    // MARK: method override

    @Test(arguments: [
        (["GET"], MethodOverride.none, true), (["GET"], .method("GET"), true), (["GET"], .method("DELETE"), false),
        (["GET", "DELETE"], .method("DELETE"), true), (["POST"], .method("DELETE"), false), ([], .method("DELETE"), true),
        ([], .ambiguous, false), (["GET", "DELETE"], .ambiguous, false),
    ])
    func anOverridingMethodMustBeAllowedTooAndAnAmbiguousOneIsRefused(_ allowed: [String], _ override: MethodOverride, _ expected: Bool) {
        var request = F.request("GET", "/v1/orders")
        request.methodOverride = override
        let decision = F.evaluate(request, .accessToken(F.claims(), application: F.application(allowedMethods: allowed)))
        #expect(decision == (expected ? decision : .deny(.methodNotAllowed)))
        #expect(decision.isAllowed == expected)
    }

    @Test func anAmbiguousOverrideIsRefusedEvenWithoutAnApplicationPolicy() {
        var request = F.request("GET", "/v1/orders")
        request.methodOverride = .ambiguous
        #expect(F.evaluate(request, .apiKey(F.apiKey(userId: "u"), application: nil)) == .deny(.methodNotAllowed))
    }

    @Test func anEmptyResourceListAllowsEveryPath() {
        let app = F.application()
        #expect(F.evaluate(F.request("GET", "/anything/at/all?x"), .accessToken(F.claims(), application: app)).isAllowed)
        #expect(F.evaluate(F.request("GET", "/" + String(repeating: "a/", count: 50_000)), .accessToken(F.claims(), application: app)).isAllowed)
    }

    // MARK: scopes

    @Test(arguments: [
        ([], true), (["orders:read"], true), (["orders:read", "orders:write"], true), (["orders:read orders:write"], true),
        (["orders:delete"], false), (["orders:read", "orders:delete"], false), ([""], true), (["ORDERS:READ"], false),
    ])
    func everyRequiredScopeMustBeHeld(_ required: [String], _ expected: Bool) {
        let decision = F.evaluate(F.request(scopes: required), .accessToken(F.claims(scope: "orders:read orders:write"), application: nil))
        #expect(decision == (expected ? decision : .deny(.insufficientScope)))
        #expect(decision.isAllowed == expected)
    }

    @Test func keysAndBasicAreHeldToTheirOwnScopes() {
        let key = F.apiKey(userId: "u", scopes: ["reports:read"])
        #expect(F.evaluate(F.request(scopes: ["reports:read"]), .apiKey(key, application: nil)).isAllowed)
        #expect(F.evaluate(F.request(scopes: ["orders:read"]), .apiKey(key, application: nil)) == .deny(.insufficientScope))
        let appKey = F.apiKey(applicationId: "app-1", scopes: [])
        #expect(F.evaluate(F.request(scopes: ["orders:read"]), .apiKey(appKey, application: F.application(scopes: ["orders:read"])))
            == .deny(.insufficientScope), "a key's scopes are its own, not its application's")
        let app = F.application(authorizationType: .basic, scopes: ["orders:read"])
        #expect(F.evaluate(F.request(scopes: ["orders:read"]), .basic(app)).isAllowed)
        #expect(F.evaluate(F.request(scopes: ["orders:write"]), .basic(app)) == .deny(.insufficientScope))
    }

    // MARK: who has a policy

    @Test func credentialsWithoutAnApplicationAreOnlyHeldToScopes() {
        let anything = F.request("PURGE", "/admin/secrets", ip: nil)
        #expect(F.evaluate(anything, .apiKey(F.apiKey(userId: "u"), application: nil)).isAllowed)
        #expect(F.evaluate(anything, .accessToken(F.claims(sub: "api-user", clientId: "api-user"), application: nil)).isAllowed)
    }

    @Test func applicationPolicyBindsItsTokensItsKeysAndItsBasic() {
        let app = F.application(authorizationType: .basic, allowedIPs: ["192.0.2.0/24"])
        let outside = F.request(ip: "198.51.100.1")
        #expect(F.evaluate(outside, .accessToken(F.claims(), application: app)) == .deny(.ipNotAllowed))
        #expect(F.evaluate(outside, .apiKey(F.apiKey(applicationId: "app-1"), application: app)) == .deny(.ipNotAllowed))
        #expect(F.evaluate(outside, .basic(app)) == .deny(.ipNotAllowed))
    }

    // MARK: order of checks

    @Test func theFirstFailingCheckIsTheReason() {
        let strict = F.application(allowedIPs: ["192.0.2.0/24"], allowedMethods: ["GET"], resources: ["/v1/**"])
        let token = VerifiedCredential.accessToken(F.claims(scope: "s"), application: strict)
        #expect(F.evaluate(F.request("POST", "/v2", ip: "198.51.100.1", scopes: ["x"]), .basic(strict)) == .deny(.authorizationType))
        #expect(F.evaluate(F.request("POST", "/v2", ip: "198.51.100.1", scopes: ["x"]), token) == .deny(.ipNotAllowed))
        #expect(F.evaluate(F.request("POST", "/v2", ip: "192.0.2.1", scopes: ["x"]), token) == .deny(.methodNotAllowed))
        #expect(F.evaluate(F.request("GET", "/v2", ip: "192.0.2.1", scopes: ["x"]), token) == .deny(.resourceNotAllowed))
        #expect(F.evaluate(F.request("GET", "/v1/x", ip: "192.0.2.1", scopes: ["x"]), token) == .deny(.insufficientScope))
        #expect(F.evaluate(F.request("GET", "/v1/x", ip: "192.0.2.1", scopes: ["s"]), token).isAllowed)
    }

    @Test func denyReasonsAreSpecStrings() throws {
        #expect(DenyReason.allCases.map(\.rawValue).sorted()
            == ["authorization_type", "insufficient_scope", "ip_not_allowed", "method_not_allowed", "resource_not_allowed"])
        #expect(String(decoding: try JSONEncoder().encode(["error": DenyReason.ipNotAllowed]), as: UTF8.self) == #"{"error":"ip_not_allowed"}"#)
    }
}

extension Decision {
    fileprivate var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}
