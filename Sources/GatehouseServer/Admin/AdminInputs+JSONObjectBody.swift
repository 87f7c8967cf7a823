import GatehouseCore

extension OrganisationInput: JSONObjectBody {
    static var integerFields: Set<String> { ["maxApplications"] }
}

extension OrganisationPatch: JSONObjectBody {
    static var integerFields: Set<String> { ["maxApplications"] }
}

extension ApplicationInput: JSONObjectBody {
    static var integerFields: Set<String> { ["accessTokenTTL"] }
}

extension ApplicationPatch: JSONObjectBody {
    static var integerFields: Set<String> { ["accessTokenTTL"] }
}

extension UserInput: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension UserPatch: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension APIKeyInput: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension APIKeyPatch: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension ConsumerCredentialInput: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension ConsumerCredentialPatch: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension AdminKeyInput: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}

extension AdminKeyPatch: JSONObjectBody {
    static var integerFields: Set<String> { [] }
}
