import Foundation
import HTTPTypes
import Testing

/// Sends one resource's boundary requests through the real admin API: for each property of its
/// create (and patch) schema, each of ``PropertySchema/boundaryValues`` in an otherwise valid
/// body, and checks the answer against what the contract predicts: a 2xx when the schema admits
/// the body, else a 400 naming the field (when the field's own schema refuses the value).
struct BoundaryRequests {
    let api: AdminClient
    let resource: ContractResource
    let fixtures: ContractResource.Fixtures
    let create: ObjectSchema
    let patch: ObjectSchema?
    private var serial = 0
    /// How many boundary requests were sent (a walker that finds nothing must not pass quietly).
    private(set) var sent = 0

    init(api: AdminClient, resource: ContractResource, fixtures: ContractResource.Fixtures, schemas: [String: ObjectSchema]) throws {
        self.api = api
        self.resource = resource
        self.fixtures = fixtures
        create = try #require(schemas[resource.createSchema], "\(resource.createSchema) is not in the contract")
        patch = try resource.patchSchema.map { try #require(schemas[$0], "\($0) is not in the contract") }
    }

    /// Each boundary value in a create body; what is created is deleted again, so names repeat.
    mutating func sendCreates() async throws {
        for (field, value, why) in cases(of: create) {
            serial += 1
            var body = resource.base(serial, fixtures)
            body[field] = value
            body.merge(create.companions(of: field, value)) { _, companion in companion }
            let reply = try await api.send(.post, resource.createPath, body: jsonBody(body.mapValues(\.foundation)))
            sent += 1
            check(reply, "POST \(resource.createPath)", field, value, why, schema: create, body: body)
            try await deleteIfCreated(reply)
        }
    }

    /// Each boundary value in a patch of a resource made for it (so no patch sees another's result).
    mutating func sendPatches() async throws {
        guard let patch else { return }
        for (field, value, why) in cases(of: patch) {
            serial += 1
            let created = try await api.send(.post, resource.createPath, body: jsonBody(resource.base(serial, fixtures).mapValues(\.foundation)))
            let id = try #require(created.string("id"), "creating the resource to patch: \(created.status) \(created.text)")
            var body = [field: value]
            body.merge(create.companions(of: field, value)) { current, _ in current }
            let path = "\(resource.collection)/\(id)"
            let reply = try await api.send(.patch, path, body: jsonBody(body.mapValues(\.foundation)))
            sent += 1
            check(reply, "PATCH \(path)", field, value, why, schema: patch, body: body)
            try await deleteIfCreated(created)
        }
    }

    private func cases(of schema: ObjectSchema) -> [(String, ContractJSONValue, String)] {
        schema.properties.sorted { $0.key < $1.key }.flatMap { field, property in
            property.boundaryValues.map { (field, $0.value, $0.why) }
        }
    }

    private func deleteIfCreated(_ reply: Reply) async throws {
        guard resource.deletable, reply.status.code / 100 == 2, let id = reply.string("id") else { return }
        let deleted = try await api.delete("\(resource.collection)/\(id)")
        #expect(deleted.status.code / 100 == 2, "deleting \(resource.collection)/\(id): \(deleted.status) \(deleted.text)")
    }

    private func check(
        _ reply: Reply, _ request: String, _ field: String, _ value: ContractJSONValue, _ why: String,
        schema: ObjectSchema, body: [String: ContractJSONValue]
    ) {
        let context = "\(request) with \(field) = \(value) (\(why))"
        guard !schema.admits(body) else {
            #expect(reply.status.code / 100 == 2, "\(context): the contract admits it, the server answered \(reply.status.code) \(reply.text.prefix(300))")
            return
        }
        #expect(reply.status == .badRequest, "\(context): the contract refuses it, the server answered \(reply.status.code) \(reply.text.prefix(300))")
        if schema.properties[field]?.admits(value) == false {
            let named = reply.string("field") ?? ""
            #expect(named == field || named.hasPrefix(field + "["), "\(context): the refusal names '\(named)', not \(field): \(reply.text.prefix(300))")
        }
    }
}
