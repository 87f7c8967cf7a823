import Foundation
@testable import GatehouseCore
import Testing

@Suite struct ApplicationRulesTests {
    static func application() -> Application {
        Application(
            id: "a", organisationId: "o", clientId: "c", secretHash: "h", name: "Shop", description: "d",
            grantTypes: ["client_credentials"], scopes: ["orders:read"], redirectUris: [], authorizationType: .bearer,
            allowedIPs: [], allowedMethods: [], resources: [], sessionAccess: .none, sessionCustomer: nil,
            accessTokenTTL: 3600, disabled: false, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)
        )
    }

    @Test func scopesFollowRFC6749Section3_3() throws {
        #expect(try ApplicationRules.validScopes(["a", "orders:read", "x.y/z!"]) == ["a", "orders:read", "x.y/z!"])
        for bad in ["", "two words", "quote\"", "back\\slash", "é"] {
            #expect(throws: ValidationError.self) { try ApplicationRules.validScopes([bad]) }
        }
    }

    @Test func duplicatesAreDroppedAndMethodsUpperCased() throws {
        #expect(try ApplicationRules.validScopes(["a", "b", "a"]) == ["a", "b"])
        #expect(try ApplicationRules.validMethods(["get", "POST", "Get"]) == ["GET", "POST"])
        #expect(throws: ValidationError.self) { try ApplicationRules.validMethods(["GET /"]) }
    }

    @Test func resourcePatternsAreAbsolutePathsWithWildcardSegments() throws {
        let valid = ["/", "/v1/orders", "/v1/orders/*/items", "/v1/**", "/v1/*/x/**"]
        #expect(try ApplicationRules.validResources(valid) == valid)
        for bad in ["v1/orders", "/v1/../admin", "/v1/./x", "/v1//x", "/v1/**/x", "/v1/ord*", "/v1?x=1", "/v1/"] {
            #expect(throws: ValidationError.self, "\(bad)") { try ApplicationRules.validResources([bad]) }
        }
    }

    @Test func redirectURIsAreAbsoluteWithoutAFragment() throws {
        #expect(try ApplicationRules.validRedirectURIs(["https://app.example/cb", "com.example.app:/cb"]).count == 2)
        for bad in ["/relative", "https://app.example/cb#frag", "not a uri", "https:///nohost"] {
            #expect(throws: ValidationError.self, "\(bad)") { try ApplicationRules.validRedirectURIs([bad]) }
        }
    }

    @Test func sessionCustomerGoesWithAutoOnly() throws {
        #expect(try ApplicationRules.validSession(.auto, customer: "alice") == "alice")
        #expect(try ApplicationRules.validSession(.any, customer: nil) == nil)
        #expect(throws: ValidationError.self) { try ApplicationRules.validSession(.auto, customer: nil) }
        #expect(throws: ValidationError.self) { try ApplicationRules.validSession(.none, customer: "alice") }
    }

    @Test func textFieldsAreTrimmedAndBounded() throws {
        #expect(try ApplicationRules.validName("  Shop  ") == "Shop")
        #expect(throws: ValidationError.self) { try ApplicationRules.validName("   ") }
        #expect(throws: ValidationError.self) { try ApplicationRules.validName(String(repeating: "x", count: 201)) }
        #expect(throws: ValidationError.self) { try ApplicationRules.validName("bell\u{07}") }
    }

    @Test func aPatchReplacesClearsAndKeepsFields() throws {
        let json = #"{"name": "New", "description": null, "scopes": ["a"], "allowedIPs": ["10.1.2.3/16"]}"#
        let patch = try JSONDecoder().decode(ApplicationPatch.self, from: Data(json.utf8))
        var application = Self.application()
        try patch.apply(to: &application)
        #expect(application.name == "New")
        #expect(application.description == nil)
        #expect(application.scopes == ["a"])
        #expect(application.allowedIPs == ["10.1.0.0/16"])
        #expect(application.grantTypes == ["client_credentials"], "absent fields are kept")
        #expect(patch.changedFields == ["name", "description", "scopes", "allowedIPs"])
    }

    @Test func aPatchCannotNullARequiredField() throws {
        let patch = try JSONDecoder().decode(ApplicationPatch.self, from: Data(#"{"name": null}"#.utf8))
        var application = Self.application()
        #expect(throws: ValidationError(field: "name", message: "must not be null")) { try patch.apply(to: &application) }
    }

    @Test func leavingAutoSessionAccessDropsTheFixedCustomer() throws {
        var application = Self.application()
        application.sessionAccess = .auto
        application.sessionCustomer = "alice"
        var patch = ApplicationPatch()
        patch.sessionAccess = .set(.any)
        try patch.apply(to: &application)
        #expect(application.sessionCustomer == nil)
    }

    @Test func organisationNamesAreIdentifiers() throws {
        #expect(try OrganisationRules.validName("acme-eu_1.x") == "acme-eu_1.x")
        for bad in ["", "-acme", "has space", "ünïcode", String(repeating: "a", count: 65)] {
            #expect(throws: ValidationError.self, "\(bad)") { try OrganisationRules.validName(bad) }
        }
        #expect(throws: ValidationError.self) { try OrganisationRules.validMaxApplications(-1) }
    }

    @Test func pageRequestsAreBounded() throws {
        #expect(try PageRequest(pageIndex: 3, pageSize: 10).offset == 20)
        #expect(try PageRequest(keywords: "").keywords == nil)
        #expect(throws: ValidationError.self) { try PageRequest(pageIndex: 0) }
        #expect(throws: ValidationError.self) { try PageRequest(pageSize: 101) }
        #expect(throws: ValidationError.self) { try PageRequest(keywords: String(repeating: "k", count: 201)) }
    }

    @Test func anApplicationNeverEncodesItsSecretHash() throws {
        let json = String(decoding: try JSONEncoder.gatehouse.encode(Self.application()), as: UTF8.self)
        #expect(!json.contains("secretHash"))
        #expect(!json.contains("\"h\""))
        #expect(json.contains(#""sessionCustomer":null"#))
        #expect(json.contains(#""organisation":"o""#))
    }
}
