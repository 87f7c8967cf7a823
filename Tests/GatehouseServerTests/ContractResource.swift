import GatehouseCore
@testable import GatehouseServer

/// An admin resource whose create (and patch) body the contract describes, with the Swift input
/// types' field sets and a body the server accepts, to vary one field at a time.
struct ContractResource: Sendable, CustomStringConvertible {
    /// The ids of what the bodies refer to, made once per server.
    struct Fixtures: Sendable {
        var application: String
        var user: String
    }

    var collection: String
    var createPath: String
    var createSchema: String
    var createFields: Set<String>
    var patchSchema: String?
    var patchFields: Set<String>?
    /// A create body the server accepts; `serial` keeps names unique.
    var base: @Sendable (_ serial: Int, _ fixtures: Fixtures) -> [String: ContractJSONValue]

    var description: String { createSchema }
    var deletable: Bool { patchSchema != nil }

    static let all: [ContractResource] = [
        ContractResource(
            collection: "/admin/v1/orgs", createPath: "/admin/v1/orgs",
            createSchema: "OrganisationInput", createFields: OrganisationInput.fields,
            patchSchema: "OrganisationPatch", patchFields: OrganisationPatch.fields,
            base: { serial, _ in ["name": .string("org-\(serial)")] }
        ),
        ContractResource(
            collection: "/admin/v1/apps", createPath: "/admin/v1/apps",
            createSchema: "ApplicationInput", createFields: ApplicationInput.fields,
            patchSchema: "ApplicationPatch", patchFields: ApplicationPatch.fields,
            base: { serial, _ in ["name": .string("app-\(serial)")] }
        ),
        ContractResource(
            collection: "/admin/v1/users", createPath: "/admin/v1/users",
            createSchema: "UserInput", createFields: UserInput.fields,
            patchSchema: "UserPatch", patchFields: UserPatch.fields,
            base: { serial, _ in ["username": .string("user-\(serial)"), "password": .string("correct horse battery")] }
        ),
        ContractResource(
            collection: "/admin/v1/apikeys", createPath: "/admin/v1/apikeys",
            createSchema: "APIKeyInput", createFields: APIKeyInput.fields,
            patchSchema: "APIKeyPatch", patchFields: APIKeyPatch.fields,
            base: { serial, fixtures in ["name": .string("key-\(serial)"), "user": .string(fixtures.user)] }
        ),
        ContractResource(
            collection: "/admin/v1/admin-keys", createPath: "/admin/v1/admin-keys",
            createSchema: "AdminKeyInput", createFields: AdminKeyInput.fields,
            patchSchema: "AdminKeyPatch", patchFields: AdminKeyPatch.fields,
            base: { serial, _ in ["name": .string("admin-key-\(serial)")] }
        ),
        ContractResource(
            collection: "/admin/v1/consumer-credentials", createPath: "/admin/v1/consumer-credentials",
            createSchema: "ConsumerCredentialInput", createFields: ConsumerCredentialInput.fields,
            patchSchema: "ConsumerCredentialPatch", patchFields: ConsumerCredentialPatch.fields,
            base: { _, fixtures in ["user": .string(fixtures.user), "kind": .string("authentication_code")] }
        ),
        ContractResource(
            collection: "/admin/v1/keys", createPath: "/admin/v1/keys/rotate",
            createSchema: "SigningKeyRotation", createFields: SigningKeysController.RotateInput.fields,
            patchSchema: nil, patchFields: nil,
            base: { _, _ in [:] }
        ),
    ]
}
