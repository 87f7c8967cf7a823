import GatehouseCore
@testable import GatehouseServer

/// An admin resource whose create (and patch) body the contract describes, with the Swift input
/// types' field sets and a body the server accepts, to vary one field at a time.
struct ContractResource: Sendable, CustomStringConvertible {
    /// What the bodies refer to, made once per server: a user, owner of API keys and consumer credentials.
    struct Fixtures: Sendable {
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

    /// A resource with `POST /admin/v1/<path>` and `PATCH /admin/v1/<path>/{id}`, described by the
    /// schemas `<name>Input` and `<name>Patch`.
    static func managed(
        _ name: String, at path: String, fields: Set<String>, patchFields: Set<String>,
        base: @escaping @Sendable (_ serial: Int, _ fixtures: Fixtures) -> [String: ContractJSONValue]
    ) -> ContractResource {
        ContractResource(
            collection: "/admin/v1/\(path)", createPath: "/admin/v1/\(path)", createSchema: "\(name)Input", createFields: fields,
            patchSchema: "\(name)Patch", patchFields: patchFields, base: base
        )
    }

    static let all: [ContractResource] = [
        .managed("Organisation", at: "orgs", fields: OrganisationInput.fields, patchFields: OrganisationPatch.fields) { serial, _ in
            ["name": .string("org-\(serial)")]
        },
        .managed("Application", at: "apps", fields: ApplicationInput.fields, patchFields: ApplicationPatch.fields) { serial, _ in
            ["name": .string("app-\(serial)")]
        },
        .managed("User", at: "users", fields: UserInput.fields, patchFields: UserPatch.fields) { serial, _ in
            ["username": .string("user-\(serial)"), "password": .string("correct horse battery")]
        },
        .managed("APIKey", at: "apikeys", fields: APIKeyInput.fields, patchFields: APIKeyPatch.fields) { serial, fixtures in
            ["name": .string("key-\(serial)"), "user": .string(fixtures.user)]
        },
        .managed("AdminKey", at: "admin-keys", fields: AdminKeyInput.fields, patchFields: AdminKeyPatch.fields) { serial, _ in
            ["name": .string("admin-key-\(serial)")]
        },
        .managed("ConsumerCredential", at: "consumer-credentials", fields: ConsumerCredentialInput.fields, patchFields: ConsumerCredentialPatch.fields) { _, fixtures in
            ["user": .string(fixtures.user), "kind": .string("authentication_code")]
        },
        ContractResource(
            collection: "/admin/v1/keys", createPath: "/admin/v1/keys/rotate",
            createSchema: "SigningKeyRotation", createFields: SigningKeysController.RotateInput.fields,
            patchSchema: nil, patchFields: nil, base: { _, _ in [:] }
        ),
    ]
}
