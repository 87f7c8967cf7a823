extension UserPatch {
    /// Applies every field but the password (hashing is the manager's) under the rules of creation.
    func apply(to user: inout User) throws {
        try Self.require(username, "username")
        try Self.require(password, "password")
        try Self.require(apiUser, "apiUser")
        try Self.require(disabled, "disabled")
        if case .set(let value) = username { user.username = try UserRules.validUsername(value) }
        if case .set(let value) = apiUser { user.apiUser = value }
        if case .set(let value) = disabled { user.disabled = value }
        user.units = try UserRules.validUnits(units.applied(to: user.units) ?? [])
    }

    /// Fields without a "no value" state refuse `null`.
    private static func require<Value>(_ patch: Patch<Value>, _ field: String) throws {
        if patch == .clear { throw ValidationError(field: field, message: "must not be null") }
    }

}
