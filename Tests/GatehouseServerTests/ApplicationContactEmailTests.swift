import Foundation
import HTTPTypes
import Testing

/// `contactEmail`, the field issue 15 added to show what a new field costs (docs/architecture.md,
/// "Adding a field"): stored, shown, patched and cleared like every optional field.
@Suite("Admin API: an application's contact email")
struct ApplicationContactEmailTests {
    @Test("A contact email is stored on create, shown, replaced by PATCH and cleared by null")
    func contactEmailRoundTrips() async throws {
        try await withAdminAPI { api in
            let created = try await api.createApplication(["name": "Shop", "contactEmail": "dev@shop.example"])
            let id = try #require(created["id"] as? String)
            #expect(created["contactEmail"] as? String == "dev@shop.example")
            #expect(try await api.get("/admin/v1/apps/\(id)").string("contactEmail") == "dev@shop.example")

            let replaced = try await api.patch("/admin/v1/apps/\(id)", ["contactEmail": "ops@shop.example"])
            #expect(replaced.status == .ok, "\(replaced.text)")
            #expect(replaced.string("contactEmail") == "ops@shop.example")
            let untouched = try await api.patch("/admin/v1/apps/\(id)", ["name": "Shop 2"])
            #expect(untouched.string("contactEmail") == "ops@shop.example")
            let cleared = try await api.patch("/admin/v1/apps/\(id)", ["contactEmail": NSNull()])
            #expect(cleared.isNull("contactEmail"), "\(cleared.text)")
        }
    }

    @Test("An application without a contact email shows it as null")
    func absentIsNull() async throws {
        try await withAdminAPI { api in
            let created = try await api.createApplication(["name": "Shop"])
            #expect(created["contactEmail"] is NSNull)
        }
    }

    static var refused: [Any] { [
        "", "no-at-sign", "@example.com", "dev@", "a@b@c", " dev@shop.example", "dev@shop.example\n",
        "dev @shop.example", "dev@shop\u{0}.example", "dev@shop\u{2028}.example",
        // A second `@` hidden in a grapheme cluster (combining mark after it, prepended mark before it).
        "a@b@\u{301}c", "x@y\u{600}@z",
        String(repeating: "a", count: 250) + "@b.cd", 42, ["dev@shop.example"],
    ] }

    @Test("A malformed contact email is a 400 naming the field, on create and on PATCH, and changes nothing",
          arguments: refused.indices)
    func malformedIsRefused(_ index: Int) async throws {
        try await withAdminAPI { api in
            let value = Self.refused[index]
            let existing = try await api.createApplication(["name": "Shop", "contactEmail": "dev@shop.example"])
            let id = try #require(existing["id"] as? String)
            let before = try await api.snapshot()
            expectError(try await api.post("/admin/v1/apps", ["name": "Other", "contactEmail": value]), .badRequest, "invalid_request", field: "contactEmail")
            expectError(try await api.patch("/admin/v1/apps/\(id)", ["contactEmail": value]), .badRequest, "invalid_request", field: "contactEmail")
            #expect(try await api.snapshot() == before)
            #expect(try await api.get("/admin/v1/apps/\(id)").string("contactEmail") == "dev@shop.example")
        }
    }

    @Test("The longest address the rule allows, 254 code points, is accepted")
    func longestIsAccepted() async throws {
        try await withAdminAPI { api in
            let longest = String(repeating: "a", count: 249) + "@b.cd"
            let created = try await api.createApplication(["name": "Shop", "contactEmail": longest])
            #expect(created["contactEmail"] as? String == longest)
        }
    }
}
