import Foundation
@testable import GatehouseCore
import Testing

/// The admin API's JSON, decoded and encoded by synthesised `Codable`: bodies tell an absent
/// field from `null`, field sets come from `CodingKeys`, and answers are byte for byte what the
/// hand-written `encode(to:)`s wrote before (nulls included).
@Suite struct ModelCodingTests {
    static let created = Date(timeIntervalSince1970: 1_750_000_000)
    static let updated = Date(timeIntervalSince1970: 1_750_000_600)

    /// One `Patch` field and nothing else: without the `decode(_: Patch<V>.Type, forKey:)`
    /// overload the synthesised decoder would throw `keyNotFound` for `{}`.
    struct OnePatchField: Decodable, Equatable {
        var value: Patch<Int> = .keep
    }

    @Test(arguments: [(#"{}"#, Patch<Int>.keep), (#"{"value": null}"#, .clear), (#"{"value": 7}"#, .set(7))])
    func theSynthesisedDecoderTellsAbsentFromNull(_ json: String, _ expected: Patch<Int>) throws {
        #expect(try JSONDecoder().decode(OnePatchField.self, from: Data(json.utf8)).value == expected)
    }

    @Test func aPatchOfTheWrongTypeIsStillRefused() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OnePatchField.self, from: Data(#"{"value": "7"}"#.utf8)) }
    }

    @Test func everyFieldOfAnApplicationPatchDecodesAsKeepClearOrSet() throws {
        let json = #"{"name": "New", "description": null, "grantTypes": ["password"], "accessTokenTTL": 600, "disabled": true}"#
        let patch = try JSONDecoder().decode(ApplicationPatch.self, from: Data(json.utf8))
        var expected = ApplicationPatch()
        expected.name = .set("New")
        expected.description = .clear
        expected.grantTypes = .set(["password"])
        expected.accessTokenTTL = .set(600)
        expected.disabled = .set(true)
        #expect(patch == expected)
        #expect(patch.changedFields == ["name", "description", "grantTypes", "accessTokenTTL", "disabled"])
    }

    @Test func changedFieldsFollowDeclarationOrderForEveryPatch() throws {
        let user = try JSONDecoder().decode(UserPatch.self, from: Data(#"{"units": [], "password": "secret-ish"}"#.utf8))
        #expect(user.changedFields == ["password", "units"])
        let key = try JSONDecoder().decode(APIKeyPatch.self, from: Data(#"{"disabled": false, "expiresAt": null}"#.utf8))
        #expect(key.changedFields == ["expiresAt", "disabled"])
        #expect(AdminKeyPatch().changedFields == [])
        #expect(OrganisationPatch(maxApplications: .clear).changedFields == ["maxApplications"])
        #expect(ConsumerCredentialPatch(disabled: .set(true)).changedFields == ["disabled"])
    }

    /// The field sets as they were listed by hand before they were derived from `CodingKeys`.
    @Test func fieldSetsAreTheBodiesJSONNames() {
        #expect(ApplicationInput.fields == [
            "name", "description", "contactEmail", "organisation", "grantTypes", "scopes", "redirectUris", "authorizationType", "allowedIPs",
            "allowedMethods", "resources", "sessionAccess", "sessionCustomer", "accessTokenTTL",
        ])
        #expect(ApplicationPatch.fields == ApplicationInput.fields.subtracting(["organisation"]).union(["disabled"]))
        #expect(APIKeyInput.fields == ["name", "description", "application", "user", "scopes", "expiresAt"])
        #expect(APIKeyPatch.fields == ["name", "description", "scopes", "expiresAt", "disabled"])
        #expect(UserInput.fields == ["username", "password", "organisation", "apiUser", "units"])
        #expect(UserPatch.fields == ["username", "password", "apiUser", "disabled", "units"])
        #expect(AdminKeyInput.fields == ["name", "expiresAt"])
        #expect(AdminKeyPatch.fields == ["name", "expiresAt", "disabled"])
        #expect(ConsumerCredentialInput.fields == ["user", "kind", "identifier"])
        #expect(ConsumerCredentialPatch.fields == ["disabled"])
        #expect(OrganisationInput.fields == ["name", "maxApplications"])
        #expect(OrganisationPatch.fields == ["name", "maxApplications"])
    }

    // MARK: encoding: today's exact bytes

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.gatehouse.encode(value), as: UTF8.self)
    }

    static func application(full: Bool) -> Application {
        Application(
            id: "app-1", organisationId: "org-1", clientId: "client-1", secretHash: "never-shown", name: "Shop",
            description: full ? "Our shop" : nil, grantTypes: full ? ["client_credentials", "refresh_token"] : [],
            scopes: full ? ["orders:read"] : [], redirectUris: full ? ["https://shop.example/cb"] : [],
            authorizationType: full ? .basic : .bearer, allowedIPs: full ? ["10.0.0.0/8", "2001:db8::/32"] : [],
            allowedMethods: full ? ["GET"] : [], resources: full ? ["/v1/orders/**"] : [], sessionAccess: full ? .auto : .none,
            sessionCustomer: full ? "alice" : nil, accessTokenTTL: 3600, disabled: full, createdAt: created, updatedAt: updated,
            contactEmail: full ? "dev@shop.example" : nil
        )
    }

    @Test func anApplicationEncodesAsBeforeWithItsNulls() throws {
        #expect(try Self.json(Self.application(full: true)) == #"{"accessTokenTTL":3600,"allowedIPs":["10.0.0.0/8","2001:db8::/32"],"allowedMethods":["GET"],"authorizationType":"basic","clientId":"client-1","contactEmail":"dev@shop.example","createdAt":"2025-06-15T15:06:40Z","description":"Our shop","disabled":true,"grantTypes":["client_credentials","refresh_token"],"id":"app-1","name":"Shop","organisation":"org-1","redirectUris":["https://shop.example/cb"],"resources":["/v1/orders/**"],"scopes":["orders:read"],"sessionAccess":"auto","sessionCustomer":"alice","updatedAt":"2025-06-15T15:16:40Z"}"#)
        #expect(try Self.json(Self.application(full: false)) == #"{"accessTokenTTL":3600,"allowedIPs":[],"allowedMethods":[],"authorizationType":"bearer","clientId":"client-1","contactEmail":null,"createdAt":"2025-06-15T15:06:40Z","description":null,"disabled":false,"grantTypes":[],"id":"app-1","name":"Shop","organisation":"org-1","redirectUris":[],"resources":[],"scopes":[],"sessionAccess":"none","sessionCustomer":null,"updatedAt":"2025-06-15T15:16:40Z"}"#)
        let issued = IssuedApplication(application: Self.application(full: false), clientSecret: "ghcs_x")
        #expect(try Self.json(issued).contains(#""clientId":"client-1","clientSecret":"ghcs_x","contactEmail":null,"createdAt""#))
    }

    static func apiKey(full: Bool) -> APIKey {
        APIKey(
            id: "key-1", organisationId: "org-1", name: "ci", description: full ? "CI runner" : nil, keyHash: "never-shown",
            keyPrefix: "ghak_abcd", applicationId: full ? "app-1" : nil, userId: full ? "user-1" : nil, scopes: full ? ["a"] : [],
            expiresAt: full ? updated : nil, lastUsedAt: full ? created : nil, disabled: full, createdAt: created, updatedAt: updated
        )
    }

    @Test func anAPIKeyEncodesAsBeforeWithItsNulls() throws {
        #expect(try Self.json(Self.apiKey(full: true)) == #"{"application":"app-1","createdAt":"2025-06-15T15:06:40Z","description":"CI runner","disabled":true,"expiresAt":"2025-06-15T15:16:40Z","id":"key-1","keyPrefix":"ghak_abcd","lastUsedAt":"2025-06-15T15:06:40Z","name":"ci","organisation":"org-1","scopes":["a"],"updatedAt":"2025-06-15T15:16:40Z","user":"user-1"}"#)
        #expect(try Self.json(Self.apiKey(full: false)) == #"{"application":null,"createdAt":"2025-06-15T15:06:40Z","description":null,"disabled":false,"expiresAt":null,"id":"key-1","keyPrefix":"ghak_abcd","lastUsedAt":null,"name":"ci","organisation":"org-1","scopes":[],"updatedAt":"2025-06-15T15:16:40Z","user":null}"#)
    }

    @Test func anAdminKeyEncodesAsBeforeWithItsNulls() throws {
        let full = AdminKey(
            id: "adm-1", name: "ops", keyHash: "never-shown", keyPrefix: "ghadm_ab", organisationId: "org-1", expiresAt: Self.updated,
            lastUsedAt: Self.created, disabled: true, createdAt: Self.created, updatedAt: Self.updated
        )
        #expect(try Self.json(full) == #"{"createdAt":"2025-06-15T15:06:40Z","disabled":true,"expiresAt":"2025-06-15T15:16:40Z","id":"adm-1","keyPrefix":"ghadm_ab","lastUsedAt":"2025-06-15T15:06:40Z","name":"ops","organisation":"org-1","updatedAt":"2025-06-15T15:16:40Z"}"#)
        let minimal = AdminKey(id: "adm-1", name: "ops", keyHash: "never-shown", createdAt: Self.created)
        #expect(try Self.json(minimal) == #"{"createdAt":"2025-06-15T15:06:40Z","disabled":false,"expiresAt":null,"id":"adm-1","keyPrefix":null,"lastUsedAt":null,"name":"ops","organisation":null,"updatedAt":"2025-06-15T15:06:40Z"}"#)
        #expect(try Self.json(IssuedAdminKey(adminKey: minimal, key: "ghadm_secret")).contains(#""keyPrefix":null,"lastUsedAt":null"#))
    }

    @Test func aUserEncodesAsBeforeWithoutItsPasswordHash() throws {
        let user = User(
            id: "user-1", organisationId: "org-1", username: "alice", passwordHash: "never-shown", apiUser: true, disabled: false,
            units: ["sales"], createdAt: Self.created, updatedAt: Self.updated
        )
        #expect(try Self.json(user) == #"{"apiUser":true,"createdAt":"2025-06-15T15:06:40Z","disabled":false,"id":"user-1","organisation":"org-1","units":["sales"],"updatedAt":"2025-06-15T15:16:40Z","username":"alice"}"#)
    }

    @Test func aConsumerCredentialEncodesAsBeforeWithItsNulls() throws {
        var credential = ConsumerCredential(
            id: "cc-1", organisationId: "org-1", userId: "user-1", kind: .passCode, identifier: "4711", secretHash: "never-shown",
            disabled: false, createdAt: Self.created
        )
        #expect(try Self.json(credential) == #"{"createdAt":"2025-06-15T15:06:40Z","disabled":false,"id":"cc-1","identifier":"4711","kind":"pass_code","organisation":"org-1","user":"user-1"}"#)
        #expect(try Self.json(IssuedConsumerCredential(credential: credential, secret: "12345678")) == #"{"id":"cc-1","identifier":"4711","pass_code":"12345678"}"#)
        credential.kind = .authenticationCode
        credential.identifier = nil
        #expect(try Self.json(credential) == #"{"createdAt":"2025-06-15T15:06:40Z","disabled":false,"id":"cc-1","identifier":null,"kind":"authentication_code","organisation":"org-1","user":"user-1"}"#)
    }

    @Test func anAuditEventEncodesAnUnknownIPAsNullAndDecodesWithoutIt() throws {
        let event = AuditEvent(id: "ev-1", at: Self.created, actor: "cli", action: "application.create", targetType: "application", targetId: "app-1", ip: nil)
        #expect(try Self.json(event) == #"{"action":"application.create","actor":"cli","at":"2025-06-15T15:06:40Z","details":{},"id":"ev-1","ip":null,"targetId":"app-1","targetType":"application"}"#)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let withoutIP = #"{"action":"a","actor":"cli","at":"2025-06-15T15:06:40Z","details":{},"id":"ev-1","targetId":"t","targetType":"x"}"#
        #expect(try decoder.decode(AuditEvent.self, from: Data(withoutIP.utf8)).ip == nil)
    }
}
