import Foundation
@testable import GatehouseServer
import Testing

/// The admin contract (`Admin/Contract/admin-openapi.yaml`) against the Swift input types and
/// rules: a limit, pattern, enum or field changed on one side alone fails here. No limit is
/// written in this test: every expectation is read from the document (see ``PropertySchema``).
@Suite("The admin contract and the Swift rules say the same thing")
struct AdminContractDriftTests {
    @Test("Each request schema names exactly the fields of its Swift input type", arguments: ContractResource.all)
    func fieldSetsMatch(resource: ContractResource) throws {
        let schemas = try contractSchemas()
        let create = try #require(schemas[resource.createSchema])
        #expect(Set(create.properties.keys) == resource.createFields, "\(resource.createSchema)")
        #expect(Set(create.required).isSubset(of: resource.createFields), "\(resource.createSchema)")
        if let name = resource.patchSchema, let fields = resource.patchFields {
            let patch = try #require(schemas[name])
            #expect(Set(patch.properties.keys) == fields, "\(name)")
            #expect(patch.required.isEmpty, "\(name): a patch requires nothing")
        }
    }

    @Test(
        "Every limit a request schema declares holds at the server: the limit accepted, one past it refused naming the field",
        arguments: ContractResource.all
    )
    func boundariesHold(resource: ContractResource) async throws {
        try await withAdminAPI { api in
            var requests = try BoundaryRequests(
                api: api, resource: resource, fixtures: try await Self.fixtures(api), schemas: try contractSchemas()
            )
            try await requests.sendCreates()
            try await requests.sendPatches()
            #expect(requests.sent >= 5, "\(resource): only \(requests.sent) boundary requests")
        }
    }

    @Test("The walker finds the limits: a schema's maxLength yields a value at it and one past it")
    func walkerFindsLimits() {
        let property = PropertySchema(raw: ["type": "string", "maxLength": 5, "examples": ["ab"]])
        let values = property.boundaryValues.map(\.value)
        #expect(values.contains(.string("abaaa")))
        #expect(values.contains(.string("abaaaa")))
        #expect(property.admits(.string("abaaa")))
        #expect(!property.admits(.string("abaaaa")))
    }

    private static func fixtures(_ api: AdminClient) async throws -> ContractResource.Fixtures {
        let user = try await api.post("/admin/v1/users", ["username": "contract-fixture", "password": "correct horse battery"])
        return ContractResource.Fixtures(user: try #require(user.string("id"), "\(user.text)"))
    }
}

/// The request schemas of the document the server serves.
func contractSchemas() throws -> [String: ObjectSchema] {
    let document = try #require(try JSONSerialization.jsonObject(with: Data(AdminContract.json)) as? [String: Any])
    let components = try #require(document["components"] as? [String: Any])
    let schemas = try #require(components["schemas"] as? [String: [String: Any]])
    return schemas.mapValues(ObjectSchema.init(raw:))
}
