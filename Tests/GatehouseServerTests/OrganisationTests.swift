import Foundation
import HTTPTypes
import Testing

@Suite("Admin API: organisations")
struct OrganisationTests {
    @Test("Creating an organisation answers 201 with id, name, maxApplications and createdAt")
    func create() async throws {
        try await withAdminAPI { api in
            let reply = try await api.post("/admin/v1/orgs", ["name": "acme"])
            #expect(reply.status == .created)
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect((reply.string("id") ?? "").isEmpty == false)
            #expect(reply.string("name") == "acme")
            #expect(reply.isNull("maxApplications"))
            let createdAt = try #require(reply.string("createdAt"))
            #expect(ISO8601DateFormatter().date(from: createdAt) != nil)

            let limited = try await api.post("/admin/v1/orgs", ["name": "small", "maxApplications": 3])
            #expect(limited.status == .created)
            #expect(limited.int("maxApplications") == 3)
            #expect(limited.string("id") != reply.string("id"))
        }
    }

    @Test("The default organisation exists from the start")
    func defaultExists() async throws {
        try await withAdminAPI { api in
            let reply = try await api.get("/admin/v1/orgs/default")
            #expect(reply.status == .ok)
            #expect(reply.string("name") == "default")
            #expect(try await api.total("/admin/v1/orgs") == 1)
        }
    }

    @Test("Listing pages through organisations with pageIndex, pageSize and total")
    func paging() async throws {
        try await withAdminAPI { api in
            for index in 1...6 { try await api.createOrganisation("team-\(index)") }
            // 7 with `default`, in creation order.
            let first = try await api.get("/admin/v1/orgs?pageIndex=1&pageSize=3")
            #expect(first.status == .ok)
            #expect(first.int("pageIndex") == 1)
            #expect(first.int("pageSize") == 3)
            #expect(first.total == 7)
            #expect(first.items.compactMap { $0["name"] as? String } == ["default", "team-1", "team-2"])

            let third = try await api.get("/admin/v1/orgs?pageIndex=3&pageSize=3")
            #expect(third.int("pageIndex") == 3)
            #expect(third.total == 7)
            #expect(third.items.compactMap { $0["name"] as? String } == ["team-6"])

            let beyond = try await api.get("/admin/v1/orgs?pageIndex=9&pageSize=3")
            #expect(beyond.status == .ok)
            #expect(beyond.items.isEmpty)
            #expect(beyond.total == 7)

            let defaults = try await api.get("/admin/v1/orgs")
            #expect(defaults.int("pageIndex") == 1)
            #expect(defaults.int("pageSize") == 25)
            #expect(defaults.items.count == 7)
        }
    }

    @Test("Keywords filter organisations case-insensitively and narrow the total")
    func keywords() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("Acme-Sales")
            try await api.createOrganisation("acme-support")
            try await api.createOrganisation("globex")
            let reply = try await api.get("/admin/v1/orgs?keywords=ACME")
            #expect(reply.status == .ok)
            #expect(reply.total == 2)
            #expect(Set(reply.items.compactMap { $0["name"] as? String }) == ["Acme-Sales", "acme-support"])

            let paged = try await api.get("/admin/v1/orgs?keywords=acme&pageSize=1&pageIndex=2")
            #expect(paged.total == 2)
            #expect(paged.items.count == 1)

            let none = try await api.get("/admin/v1/orgs?keywords=initech")
            #expect(none.total == 0)
            #expect(none.items.isEmpty)

            // LIKE wildcards are literal characters, not patterns.
            let wildcard = try await api.get("/admin/v1/orgs?keywords=%25")
            #expect(wildcard.status == .ok)
            #expect(wildcard.total == 0)
        }
    }

    @Test("An organisation can be shown by id and by name")
    func show() async throws {
        try await withAdminAPI { api in
            let created = try await api.createOrganisation("acme", maxApplications: 2)
            let id = try #require(created["id"] as? String)
            let byID = try await api.get("/admin/v1/orgs/\(id)")
            #expect(byID.status == .ok)
            #expect(byID.string("name") == "acme")
            #expect(byID.int("maxApplications") == 2)
            let byName = try await api.get("/admin/v1/orgs/acme")
            #expect(byName.status == .ok)
            #expect(byName.string("id") == id)
            #expect(byName.text == byID.text)
        }
    }

    @Test("PATCH changes the name and maxApplications, and null clears the limit")
    func update() async throws {
        try await withAdminAPI { api in
            let created = try await api.createOrganisation("acme")
            let id = try #require(created["id"] as? String)

            let renamed = try await api.patch("/admin/v1/orgs/\(id)", ["name": "acme-corp"])
            #expect(renamed.status == .ok)
            #expect(renamed.string("name") == "acme-corp")
            #expect(renamed.isNull("maxApplications"))
            #expect(try await api.get("/admin/v1/orgs/acme").status == .notFound)
            #expect(try await api.get("/admin/v1/orgs/acme-corp").string("id") == id)

            let limited = try await api.patch("/admin/v1/orgs/acme-corp", ["maxApplications": 5])
            #expect(limited.status == .ok)
            #expect(limited.int("maxApplications") == 5)
            #expect(limited.string("name") == "acme-corp")

            let cleared = try await api.patch("/admin/v1/orgs/\(id)", ["maxApplications": NSNull()])
            #expect(cleared.status == .ok)
            #expect(cleared.isNull("maxApplications"))
            #expect(try await api.get("/admin/v1/orgs/\(id)").isNull("maxApplications"))
        }
    }

    @Test("Renaming an organisation to a taken name is 409 conflict")
    func renameConflict() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            try await api.createOrganisation("globex")
            let reply = try await api.patch("/admin/v1/orgs/globex", ["name": "acme"])
            expectError(reply, .conflict, "conflict")
            #expect(try await api.get("/admin/v1/orgs/globex").status == .ok)
        }
    }

    @Test("The default organisation cannot be renamed")
    func renameDefault() async throws {
        try await withAdminAPI { api in
            let reply = try await api.patch("/admin/v1/orgs/default", ["name": "other"])
            expectError(reply, .conflict, "conflict")
            #expect(try await api.get("/admin/v1/orgs/default").status == .ok)
        }
    }

    @Test("Deleting an organisation answers 204, and then it is 404")
    func delete() async throws {
        try await withAdminAPI { api in
            let created = try await api.createOrganisation("acme")
            let id = try #require(created["id"] as? String)
            let reply = try await api.delete("/admin/v1/orgs/\(id)")
            #expect(reply.status == .noContent)
            #expect(reply.text.isEmpty)
            expectError(try await api.get("/admin/v1/orgs/\(id)"), .notFound, "not_found")
            expectError(try await api.delete("/admin/v1/orgs/\(id)"), .notFound, "not_found")
            #expect(try await api.total("/admin/v1/orgs") == 1)
        }
    }

    @Test("Deleting the default organisation is 409 conflict")
    func deleteDefault() async throws {
        try await withAdminAPI { api in
            let before = try await api.snapshot()
            expectError(try await api.delete("/admin/v1/orgs/default"), .conflict, "conflict")
            #expect(try await api.get("/admin/v1/orgs/default").status == .ok)
            #expect(try await api.snapshot() == before)
        }
    }

    @Test("Deleting an organisation that still has applications is 409 conflict")
    func deleteWithApplications() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let application = try await api.createApplication(["name": "shop", "organisation": "acme"])
            let before = try await api.snapshot()
            expectError(try await api.delete("/admin/v1/orgs/acme"), .conflict, "conflict")
            #expect(try await api.snapshot() == before)

            let appID = try #require(application["id"] as? String)
            #expect(try await api.delete("/admin/v1/apps/\(appID)").status == .noContent)
            #expect(try await api.delete("/admin/v1/orgs/acme").status == .noContent)
        }
    }

    @Test("Creating an organisation with a taken name is 409 conflict")
    func duplicate() async throws {
        try await withAdminAPI { api in
            try await api.createOrganisation("acme")
            let before = try await api.snapshot()
            expectError(try await api.post("/admin/v1/orgs", ["name": "acme"]), .conflict, "conflict")
            expectError(try await api.post("/admin/v1/orgs", ["name": "default"]), .conflict, "conflict")
            #expect(try await api.snapshot() == before)
        }
    }
}
