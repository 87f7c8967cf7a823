extension UserPatch {
    /// Applies every field but the password (hashing is the manager's) under the rules of creation.
    func apply(to user: inout User) throws {
        try Self.require(username, CodingKeys.username)
        try Self.require(password, CodingKeys.password)
        try Self.require(apiUser, CodingKeys.apiUser)
        try Self.require(disabled, CodingKeys.disabled)
        if case .set(let value) = username { user.username = try UserRules.validUsername(value) }
        if case .set(let value) = apiUser { user.apiUser = value }
        if case .set(let value) = disabled { user.disabled = value }
        user.units = try UserRules.validUnits(units.applied(to: user.units) ?? [])
    }
}
