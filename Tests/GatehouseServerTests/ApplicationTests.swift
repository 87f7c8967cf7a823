import Foundation
import GatehouseCore
import HTTPTypes
import Testing

@Suite("Admin API: applications")
struct ApplicationTests {
    static var everyField: [String: Any] { [
        "name": "Shop",
        "description": "The web shop",
        "organisation": "acme",
        "grantTypes": ["client_credentials", "refresh_token", "authorization_code"],
        "scopes": ["orders:read", "orders:write"],
        "redirectUris": ["https://shop.example.com/callback"],
        "authorizationType": "basic",
        "allowedIPs": ["10.0.0.0/8", "2001:db8::/32"],
        "allowedMethods": ["GET", "POST"],
        "resources": ["/v1/orders/*/items", "/v1/**"],
        "sessionAccess": "auto",
        "sessionCustomer": "customer-42",
        "accessTokenTTL": 600,
    ] }

    @Test("Creating an application with every field answers 201 with the fields, ids and the secret")
    func createEveryField() async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let reply = try await api.post("/admin/v1/apps", Self.everyField)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.headers[.cacheControl] == "no-store")
            let secret = try #require(reply.string("clientSecret"))
            #expect(secret.hasPrefix("ghcs_"))
            #expect(SecretFormat.isWellFormed(secret, as: .clientSecret))
            #expect((reply.string("id") ?? "").isEmpty == false)
            #expect((reply.string("clientId") ?? "").isEmpty == false)
            #expect(reply.string("organisation") == organisation["id"] as? String)
            #expect(reply.string("name") == "Shop")
            #expect(reply.string("description") == "The web shop")
            #expect(reply.strings("grantTypes") == ["client_credentials", "refresh_token", "authorization_code"])
            #expect(reply.strings("scopes") == ["orders:read", "orders:write"])
            #expect(reply.strings("redirectUris") == ["https://shop.example.com/callback"])
            #expect(reply.string("authorizationType") == "basic")
            #expect(reply.strings("allowedIPs") == ["10.0.0.0/8", "2001:db8::/32"])
            #expect(reply.strings("allowedMethods") == ["GET", "POST"])
            #expect(reply.strings("resources") == ["/v1/orders/*/items", "/v1/**"])
            #expect(reply.string("sessionAccess") == "auto")
            #expect(reply.string("sessionCustomer") == "customer-42")
            #expect(reply.int("accessTokenTTL") == 600)
            #expect(reply["disabled"] as? Bool == false)
        }
    }

    @Test("An application created with only a name gets the documented defaults in the default organisation")
    func createDefaults() async throws {
        try await withAdminAPI { api in
            let defaultOrganisation = try await api.get("/admin/v1/orgs/default")
            let reply = try await api.post("/admin/v1/apps", ["name": "minimal"])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.string("clientSecret")?.hasPrefix("ghcs_") == true)
            #expect(reply.string("organisation") == defaultOrganisation.string("id"))
            #expect(reply.strings("grantTypes") == ["client_credentials"])
            #expect(reply.strings("scopes") == [])
            #expect(reply.strings("redirectUris") == [])
            #expect(reply.string("authorizationType") == "bearer")
            #expect(reply.strings("allowedIPs") == [])
            #expect(reply.strings("allowedMethods") == [])
            #expect(reply.strings("resources") == [])
            #expect(reply.string("sessionAccess") == "none")
            #expect(reply.isNull("sessionCustomer"))
            #expect(reply.int("accessTokenTTL") == 3600)
        }
    }

    @Test("The secret never appears in show, list or audit answers")
    func secretNeverShownAgain() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let created = try await api.createApplication(Self.everyField)
            let id = try #require(created["id"] as? String)
            let clientId = try #require(created["clientId"] as? String)
            let secret = try #require(created["clientSecret"] as? String)
            let regenerated = try await api.send(.post, "/admin/v1/apps/\(id)/secret")
            let newSecret = try #require(regenerated.string("clientSecret"))

            let answers = [
                try await api.get("/admin/v1/apps/\(id)"),
                try await api.get("/admin/v1/apps/\(clientId)"),
                try await api.get("/admin/v1/apps"),
                try await api.get("/admin/v1/apps?organisation=acme"),
                try await api.get("/admin/v1/apps?keywords=shop"),
                try await api.patch("/admin/v1/apps/\(id)", ["description": "changed"]),
                try await api.get("/admin/v1/audit?pageSize=100"),
            ]
            for answer in answers {
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(!answer.text.contains(secret))
                #expect(!answer.text.contains(newSecret))
                #expect(!answer.text.contains("ghcs_"))
                #expect(!answer.text.contains("clientSecret"))
                #expect(!answer.text.lowercased().contains("secrethash"))
            }
            #expect(answers[0].string("clientId") == clientId)
            #expect(answers[1].string("id") == id)
            #expect(answers[2].total == 1)
        }
    }

    @Test("Listing applications filters by organisation id or name")
    func listByOrganisation() async throws {
        try await withAdminAPI { api in
            let acme = try await api.createOrganisation("acme")
            try await api.createOrganisation("globex")
            try await api.createApplication(["name": "shop-one", "organisation": "acme"])
            try await api.createApplication(["name": "shop-two", "organisation": "acme"])
            try await api.createApplication(["name": "g1", "organisation": "globex"])
            try await api.createApplication(["name": "d1"])

            #expect(try await api.total("/admin/v1/apps") == 4)
            let byName = try await api.get("/admin/v1/apps?organisation=acme")
            #expect(byName.total == 2)
            #expect(byName.items.compactMap { $0["name"] as? String } == ["shop-one", "shop-two"])
            let acmeID = try #require(acme["id"] as? String)
            #expect(try await api.total("/admin/v1/apps?organisation=\(acmeID)") == 2)
            #expect(try await api.total("/admin/v1/apps?organisation=globex") == 1)
            #expect(try await api.total("/admin/v1/apps?organisation=default") == 1)
            // Keywords match name, description and client id; "TWO" cannot occur in a UUID.
            #expect(try await api.total("/admin/v1/apps?organisation=acme&keywords=TWO") == 1)
            #expect(try await api.total("/admin/v1/apps?keywords=shop") == 2)
            let paged = try await api.get("/admin/v1/apps?organisation=acme&pageSize=1&pageIndex=2")
            #expect(paged.items.compactMap { $0["name"] as? String } == ["shop-two"])
            expectError(try await api.get("/admin/v1/apps?organisation=initech"), .notFound, "not_found")
        }
    }

    @Test("PATCH changes given fields, keeps absent ones, and null clears optional ones")
    func update() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let created = try await api.createApplication(Self.everyField)
            let id = try #require(created["id"] as? String)
            let uri = "/admin/v1/apps/\(id)"

            let renamed = try await api.patch(uri, ["name": "Shop 2", "scopes": ["orders:read"], "accessTokenTTL": 120])
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.string("name") == "Shop 2")
            #expect(renamed.strings("scopes") == ["orders:read"])
            #expect(renamed.int("accessTokenTTL") == 120)
            #expect(renamed.string("description") == "The web shop")
            #expect(renamed.strings("resources") == ["/v1/orders/*/items", "/v1/**"])
            #expect(renamed.string("clientId") == created["clientId"] as? String)
            #expect(renamed["clientSecret"] == nil)

            let cleared = try await api.patch(uri, ["description": NSNull(), "allowedIPs": NSNull(), "resources": []])
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(cleared.isNull("description"))
            #expect(cleared.strings("allowedIPs") == [])
            #expect(cleared.strings("resources") == [])
            #expect(cleared.string("name") == "Shop 2")

            let leftAuto = try await api.patch(uri, ["sessionAccess": "any"])
            #expect(leftAuto.status == .ok, "\(leftAuto.text)")
            #expect(leftAuto.string("sessionAccess") == "any")
            #expect(leftAuto.isNull("sessionCustomer"))

            let disabled = try await api.patch(uri, ["disabled": true, "authorizationType": "bearer"])
            #expect(disabled["disabled"] as? Bool == true)
            #expect(disabled.string("authorizationType") == "bearer")

            let shown = try await api.get(uri)
            #expect(shown.text == disabled.text)
        }
    }

    @Test("PATCH refuses null for fields that must have a value, and the organisation field")
    func updateRefusals() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let created = try await api.createApplication(["name": "shop"])
            let uri = "/admin/v1/apps/\(created["id"] as! String)"
            let before = try await api.get(uri)
            for field in ["name", "grantTypes", "authorizationType", "sessionAccess", "accessTokenTTL", "disabled"] {
                expectError(try await api.patch(uri, [field: NSNull()]), .badRequest, "invalid_request", field: field)
            }
            expectError(try await api.patch(uri, ["organisation": "acme"]), .badRequest, "invalid_request", field: "organisation")
            #expect(try await api.get(uri).text == before.text)
        }
    }

    @Test("Lists are stored in canonical form: IPs normalised, methods upper-cased, duplicates dropped")
    func canonicalLists() async throws {
        try await withAdminAPI { api in
            let reply = try await api.post("/admin/v1/apps", [
                "name": "  padded name  ",
                "allowedIPs": ["10.0.0.1/8", "::ffff:1.2.3.4", "10.0.0.0/8", "2001:DB8::1"],
                "allowedMethods": ["get", "GET", "Post"],
                "scopes": ["a", "b", "a"],
            ])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.string("name") == "padded name")
            #expect(reply.strings("allowedIPs")?.prefix(2) == ["10.0.0.0/8", "1.2.3.4/32"])
            #expect(reply.strings("allowedIPs")?.count == 3)
            #expect(reply.strings("allowedMethods") == ["GET", "POST"])
            #expect(reply.strings("scopes") == ["a", "b"])
        }
    }

    @Test("A JSON content type with a charset parameter is accepted")
    func contentTypeWithCharset() async throws {
        try await withAdminAPI { api in
            let reply = try await api.send(
                .post, "/admin/v1/apps", body: jsonBody(["name": "shop"]), contentType: "application/json; charset=utf-8"
            )
            #expect(reply.status == .created, "\(reply.text)")
        }
    }

    @Test("Regenerating the secret answers a new, different secret with the client id")
    func regenerateSecret() async throws {
        try await withAdminAPI { api in
            let created = try await api.createApplication(["name": "shop"])
            let id = try #require(created["id"] as? String)
            let old = try #require(created["clientSecret"] as? String)
            let reply = try await api.send(.post, "/admin/v1/apps/\(id)/secret")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(Set(reply.object.keys) == ["clientId", "clientSecret"])
            #expect(reply.string("clientId") == created["clientId"] as? String)
            let new = try #require(reply.string("clientSecret"))
            #expect(new.hasPrefix("ghcs_"))
            #expect(new != old)
            let again = try await api.send(.post, "/admin/v1/apps/\(id)/secret")
            #expect(again.string("clientSecret") != new)
            expectError(try await api.send(.post, "/admin/v1/apps/no-such-app/secret"), .notFound, "not_found")
        }
    }

    @Test("Deleting an application answers 204, and then it is 404")
    func delete() async throws {
        try await withAdminAPI { api in
            let created = try await api.createApplication(["name": "shop"])
            let id = try #require(created["id"] as? String)
            let reply = try await api.delete("/admin/v1/apps/\(id)")
            #expect(reply.status == .noContent)
            expectError(try await api.get("/admin/v1/apps/\(id)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/apps/\(id)"), .notFound, "not_found")
            expectError(try await api.send(.post, "/admin/v1/apps/\(id)/secret"), .notFound, "not_found")
            #expect(try await api.total("/admin/v1/apps") == 0)
        }
    }

    @Test("An application beyond the organisation's maxApplications is 409 quota_exceeded")
    func quota() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme", maxApplications: 1)
            try await api.createApplication(["name": "first", "organisation": "acme"])
            let before = try await api.snapshot()
            let reply = try await api.post("/admin/v1/apps", ["name": "second", "organisation": "acme"])
            expectError(reply, .conflict, "quota_exceeded")
            #expect(!reply.text.contains("ghcs_"))
            #expect(try await api.total("/admin/v1/apps?organisation=acme") == 1)
            #expect(try await api.snapshot() == before)

            // Lowering the limit below the count is allowed; existing apps stay.
            #expect(try await api.patch("/admin/v1/orgs/acme", ["maxApplications": 0]).status == .ok)
            #expect(try await api.total("/admin/v1/apps?organisation=acme") == 1)
            expectError(try await api.post("/admin/v1/apps", ["name": "third", "organisation": "acme"]), .conflict, "quota_exceeded")

            // Raising the limit lets the next one in.
            #expect(try await api.patch("/admin/v1/orgs/acme", ["maxApplications": 2]).status == .ok)
            try await api.createApplication(["name": "second", "organisation": "acme"])
            #expect(try await api.total("/admin/v1/apps?organisation=acme") == 2)
        }
    }

    @Test("An organisation with maxApplications 0 takes no application")
    func zeroQuota() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("frozen", maxApplications: 0)
            expectError(try await api.post("/admin/v1/apps", ["name": "x", "organisation": "frozen"]), .conflict, "quota_exceeded")
            #expect(try await api.total("/admin/v1/apps") == 0)
        }
    }

    @Test("Creating an application in an unknown organisation is 404 not_found")
    func unknownOrganisation() async throws {
        try await withAdminAPI { api in
            let before = try await api.snapshot()
            expectError(try await api.post("/admin/v1/apps", ["name": "x", "organisation": "initech"]), .notFound, "not_found")
            #expect(try await api.snapshot() == before)
        }
    }
}
