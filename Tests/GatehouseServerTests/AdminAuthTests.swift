import GatehouseCore
import HTTPTypes
import Testing

@Suite("Admin API authentication")
struct AdminAuthTests {
    /// Ways of not presenting a valid admin key.
    struct BadCredential: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var credential: Credential
        init(_ name: String, _ credential: Credential) {
            testDescription = name
            self.credential = credential
        }
    }

    static let badCredentials: [BadCredential] = [
        BadCredential("no Authorization header", .none),
        BadCredential("the Basic scheme", .header("Basic YWRtaW46YWRtaW4=")),
        BadCredential("a Bearer value that is not an admin key", .header("Bearer not-a-key")),
        BadCredential("an admin key with a broken checksum", .header("Bearer " + corrupted(SecretFormat.generate(.adminKey)))),
        BadCredential("a client secret instead of an admin key", .header("Bearer " + SecretFormat.generate(.clientSecret))),
        BadCredential("a well-formed admin key the server does not know", .header("Bearer " + SecretFormat.generate(.adminKey))),
        BadCredential("an empty Bearer value", .header("Bearer ")),
    ]

    @Test("A request without a valid admin key is refused with 401 and WWW-Authenticate", arguments: badCredentials)
    func refused(bad: BadCredential) async throws {
        let credential = bad.credential
        try await withAdminAPI { api in
            let reply = try await api.get("/admin/v1/orgs", credential: credential)
            expectError(reply, .unauthorized, "unauthorized")
            #expect(reply.headers[.wwwAuthenticate] == #"Bearer realm="gatehouse-admin""#)
            #expect(reply.items.isEmpty)
        }
    }

    @Test("The admin key is accepted, and the scheme name is case-insensitive")
    func accepted() async throws {
        try await withAdminAPI { api in
            let exact = try await api.get("/admin/v1/orgs")
            #expect(exact.status == .ok)
            let lowercase = try await api.get("/admin/v1/orgs", credential: .header("bearer \(api.key)"))
            #expect(lowercase.status == .ok)
        }
    }

    @Test("Every admin route needs the admin key and changes nothing without it")
    func everyRouteNeedsTheKey() async throws {
        let routes = try await routerRoutes().filter { $0.path.hasPrefix("/admin/v1") }
        #expect(routes.count >= 12, "\(routes)")
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let application = try await api.createApplication(["name": "shop", "organisation": "acme"])
            let before = try await api.snapshot()
            for route in routes {
                let id = route.path.hasPrefix("/admin/v1/orgs") ? organisation["id"] as! String : application["id"] as! String
                let method = HTTPRequest.Method(route.method)!
                let body = (method == .post || method == .patch) ? jsonBody(["name": "changed"]) : nil
                for credential in [Credential.none, .header("Bearer " + SecretFormat.generate(.adminKey))] {
                    let reply = try await api.send(method, route.concrete(id), body: body, credential: credential)
                    #expect(reply.status == .unauthorized, "\(route): \(reply.text)")
                    #expect(reply.string("error") == "unauthorized", "\(route)")
                    #expect(reply.headers[.wwwAuthenticate] != nil, "\(route)")
                    #expect(!reply.text.contains("ghcs_"), "\(route)")
                }
            }
            #expect(try await api.snapshot() == before)
            let shown = try await api.get("/admin/v1/orgs/acme")
            #expect(shown.string("name") == "acme")
        }
    }
}
