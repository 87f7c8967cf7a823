import Foundation

/// An application together with its client secret, as answered exactly once: on create and on
/// regenerate. The secret is never stored; only its keyed hash is.
public struct IssuedApplication: Sendable {
    public var application: Application
    public var clientSecret: String
}

/// Create, find, change, re-key and delete applications; shared by the admin API and the CLI.
public struct ApplicationManager: Sendable {
    let store: any Store
    let hasher: SecretHasher
    /// Called after an application changed or was deleted (the server drops its cached API keys,
    /// which carry their application).
    public var onChange: (@Sendable () -> Void)?

    public init(store: any Store, hasher: SecretHasher) {
        self.store = store
        self.hasher = hasher
    }

    public func create(_ input: ApplicationInput, by actor: AuditActor, now: Date) async throws -> IssuedApplication {
        let organisations = OrganisationManager(store: store)
        let organisation = try await organisations.find(input.organisation ?? Organisation.defaultName)
        let secret = SecretFormat.generate(.clientSecret)
        let sessionAccess = input.sessionAccess ?? .none
        let application = Application(
            id: UUID().uuidString.lowercased(),
            organisationId: organisation.id,
            clientId: UUID().uuidString.lowercased(),
            secretHash: hasher.hash(secret),
            name: try ApplicationRules.validName(input.name),
            description: try ApplicationRules.validDescription(input.description),
            grantTypes: try ApplicationRules.validGrantTypes(input.grantTypes ?? ApplicationRules.defaultGrantTypes),
            scopes: try ApplicationRules.validScopes(input.scopes ?? []),
            redirectUris: try ApplicationRules.validRedirectURIs(input.redirectUris ?? []),
            authorizationType: input.authorizationType ?? .bearer,
            allowedIPs: try ApplicationRules.validAllowedIPs(input.allowedIPs ?? []),
            allowedMethods: try ApplicationRules.validMethods(input.allowedMethods ?? []),
            resources: try ApplicationRules.resourcePatterns(input.resources ?? []),
            sessionAccess: sessionAccess,
            sessionCustomer: try ApplicationRules.validSession(sessionAccess, customer: input.sessionCustomer),
            accessTokenTTL: try ApplicationRules.validAccessTokenTTL(input.accessTokenTTL ?? ApplicationRules.defaultAccessTokenTTL),
            disabled: false,
            createdAt: now,
            updatedAt: now,
            contactEmail: try ApplicationRules.validContactEmail(input.contactEmail)
        )
        try await store.insertApplication(application, audit: .make("application.create", "application", application.id, by: actor, at: now))
        return IssuedApplication(application: application, clientSecret: secret)
    }

    /// The application with this id, or else this client id; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ idOrClientId: String) async throws -> Application {
        if let application = try await store.application(id: idOrClientId) { return application }
        if let application = try await store.application(clientId: idOrClientId) { return application }
        throw DomainError.notFound("application '\(idOrClientId.prefix(100))'")
    }

    /// A page of applications, of one organisation (id or name) or of all.
    public func list(organisation: String?, _ page: PageRequest) async throws -> Page<Application> {
        var organisationId: String?
        if let organisation { organisationId = try await OrganisationManager(store: store).find(organisation).id }
        return try await store.applications(organisationId: organisationId, page)
    }

    public func update(_ idOrClientId: String, with patch: ApplicationPatch, by actor: AuditActor, now: Date) async throws -> Application {
        var application = try await find(idOrClientId)
        try patch.apply(to: &application)
        application.updatedAt = now
        let details = ["fields": patch.changedFields.joined(separator: ",")]
        try await store.updateApplication(application, audit: .make("application.update", "application", application.id, by: actor, at: now, details: details))
        onChange?()
        if application.disabled {
            try await store.revokeRefreshTokens(applicationId: application.id)
        }
        return application
    }

    /// Replaces the client secret: the old one stops working at once.
    public func regenerateSecret(_ idOrClientId: String, by actor: AuditActor, now: Date) async throws -> IssuedApplication {
        var application = try await find(idOrClientId)
        let secret = SecretFormat.generate(.clientSecret)
        application.secretHash = hasher.hash(secret)
        application.updatedAt = now
        try await store.updateApplication(application, audit: .make("application.secret.regenerate", "application", application.id, by: actor, at: now))
        // A new secret ends every session the old one started.
        try await store.revokeRefreshTokens(applicationId: application.id)
        return IssuedApplication(application: application, clientSecret: secret)
    }

    public func delete(_ idOrClientId: String, by actor: AuditActor, now: Date) async throws {
        let application = try await find(idOrClientId)
        try await store.deleteApplication(id: application.id, audit: .make("application.delete", "application", application.id, by: actor, at: now))
        onChange?()
    }
}
