extension ApplicationPatch {
    /// Applies the patch to `application` under the same rules as creation.
    func apply(to application: inout Application) throws {
        try Self.require(name, CodingKeys.name)
        try Self.require(grantTypes, CodingKeys.grantTypes)
        try Self.require(authorizationType, CodingKeys.authorizationType)
        try Self.require(sessionAccess, CodingKeys.sessionAccess)
        try Self.require(accessTokenTTL, CodingKeys.accessTokenTTL)
        try Self.require(disabled, CodingKeys.disabled)
        if case .set(let value) = name { application.name = try ApplicationRules.validName(value) }
        application.description = try ApplicationRules.validDescription(description.applied(to: application.description))
        application.contactEmail = try ApplicationRules.validContactEmail(contactEmail.applied(to: application.contactEmail))
        if case .set(let value) = grantTypes { application.grantTypes = try ApplicationRules.validGrantTypes(value) }
        application.scopes = try ApplicationRules.validScopes(scopes.applied(to: application.scopes) ?? [])
        application.redirectUris = try ApplicationRules.validRedirectURIs(redirectUris.applied(to: application.redirectUris) ?? [])
        if case .set(let value) = authorizationType { application.authorizationType = value }
        application.allowedIPs = try ApplicationRules.validAllowedIPs(allowedIPs.applied(to: application.allowedIPs.map(\.description)) ?? [])
        application.allowedMethods = try ApplicationRules.validMethods(allowedMethods.applied(to: application.allowedMethods) ?? [])
        application.resources = try ApplicationRules.resourcePatterns(resources.applied(to: application.resources.map(\.description)) ?? [])
        if case .set(let value) = sessionAccess {
            application.sessionAccess = value
            // Leaving `auto` drops the fixed customer unless the patch names one.
            if value != .auto, sessionCustomer.isKeep { application.sessionCustomer = nil }
        }
        application.sessionCustomer = try ApplicationRules.validSession(
            application.sessionAccess, customer: sessionCustomer.applied(to: application.sessionCustomer)
        )
        if case .set(let value) = accessTokenTTL { application.accessTokenTTL = try ApplicationRules.validAccessTokenTTL(value) }
        if case .set(let value) = disabled { application.disabled = value }
    }
}
