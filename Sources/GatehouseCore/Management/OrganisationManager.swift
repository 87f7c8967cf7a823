import Foundation

/// Create, find, change and delete organisations; shared by the admin API and the CLI.
public struct OrganisationManager: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func create(_ input: OrganisationInput, by actor: AuditActor, now: Date) async throws -> Organisation {
        let organisation = Organisation(
            id: UUID().uuidString.lowercased(),
            name: try OrganisationRules.validName(input.name),
            maxApplications: try OrganisationRules.validMaxApplications(input.maxApplications),
            createdAt: now
        )
        try await store.insertOrganisation(organisation, audit: .make("organisation.create", "organisation", organisation.id, by: actor, at: now))
        return organisation
    }

    /// The organisation with this id, or else this name; ``DomainError/notFound(_:)`` otherwise.
    public func find(_ idOrName: String) async throws -> Organisation {
        if let organisation = try await store.organisation(id: idOrName) { return organisation }
        if let organisation = try await store.organisation(name: idOrName) { return organisation }
        throw DomainError.notFound("organisation '\(idOrName.prefix(100))'")
    }

    public func list(_ page: PageRequest) async throws -> Page<Organisation> {
        try await store.organisations(page)
    }

    public func update(_ idOrName: String, with patch: OrganisationPatch, by actor: AuditActor, now: Date) async throws -> Organisation {
        var organisation = try await find(idOrName)
        if case .set(let name) = patch.name {
            guard organisation.name != Organisation.defaultName || name == organisation.name else {
                throw DomainError.conflict("the 'default' organisation cannot be renamed")
            }
            organisation.name = try OrganisationRules.validName(name)
        } else if patch.name == .clear {
            throw ValidationError(field: "name", message: "must not be null")
        }
        organisation.maxApplications = try OrganisationRules.validMaxApplications(patch.maxApplications.applied(to: organisation.maxApplications))
        let details = ["fields": patch.changedFields.joined(separator: ",")]
        try await store.updateOrganisation(organisation, audit: .make("organisation.update", "organisation", organisation.id, by: actor, at: now, details: details))
        return organisation
    }

    /// Deletes an empty organisation; `default` is never deleted.
    public func delete(_ idOrName: String, by actor: AuditActor, now: Date) async throws {
        let organisation = try await find(idOrName)
        guard organisation.name != Organisation.defaultName else {
            throw DomainError.conflict("the 'default' organisation cannot be deleted")
        }
        try await store.deleteOrganisation(id: organisation.id, audit: .make("organisation.delete", "organisation", organisation.id, by: actor, at: now))
    }

    /// Makes sure the `default` organisation exists (on every start; idempotent).
    public func ensureDefault(now: Date) async throws {
        guard try await store.organisation(name: Organisation.defaultName) == nil else { return }
        do {
            _ = try await create(OrganisationInput(name: Organisation.defaultName), by: AuditActor(name: "system", ip: nil), now: now)
        } catch DomainError.conflict {
            // Another instance created it first.
        }
    }
}
