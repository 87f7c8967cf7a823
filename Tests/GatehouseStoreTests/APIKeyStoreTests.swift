import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension Fixture {
    /// A key of `application` (or else of `user`) with every optional field set.
    static func apiKey(in organisation: Organisation, application: Application? = nil, user: User? = nil, name: String = "ci") -> APIKey {
        APIKey(
            id: UUID().uuidString.lowercased(), organisationId: organisation.id, name: name, description: "deploys from CI",
            keyHash: UUID().uuidString.lowercased() + UUID().uuidString.lowercased(), keyPrefix: "ghak_3xKq",
            applicationId: application?.id, userId: application == nil ? user?.id : nil, scopes: ["orders:read"],
            expiresAt: now.addingTimeInterval(86_400), lastUsedAt: now.addingTimeInterval(-60), disabled: false,
            createdAt: now, updatedAt: now.addingTimeInterval(5)
        )
    }
}

extension StoreConformance {
    @Suite struct APIKeyStoreTests {
        /// An organisation holding one application and one user, stored.
        func owners(in store: SQLStore) async throws -> (Organisation, Application, User) {
            let organisation = Fixture.organisation()
            try await store.insertOrganisation(organisation, audit: Fixture.audit())
            let application = Fixture.application(in: organisation)
            try await store.insertApplication(application, audit: Fixture.audit())
            let user = Fixture.user(in: organisation)
            try await store.insertUser(user, audit: Fixture.audit())
            return (organisation, application, user)
        }

        @Test(arguments: StoreBackend.all)
        func everyFieldOfAnAPIKeyRoundTrips(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                var applicationKey = Fixture.apiKey(in: organisation, application: application)
                applicationKey.disabled = true
                try await store.insertAPIKey(applicationKey, audit: Fixture.audit("apikey.create"))
                #expect(try await store.apiKey(id: applicationKey.id) == applicationKey)
                #expect(try await store.apiKey(hash: applicationKey.keyHash) == applicationKey)

                // A user's key with every optional field empty.
                var userKey = Fixture.apiKey(in: organisation, user: user, name: "laptop")
                userKey.description = nil
                userKey.scopes = []
                userKey.expiresAt = nil
                userKey.lastUsedAt = nil
                try await store.insertAPIKey(userKey, audit: Fixture.audit("apikey.create"))
                #expect(try await store.apiKey(hash: userKey.keyHash) == userKey)
                #expect(try await store.apiKey(id: userKey.id)?.userId == user.id)
                #expect(try await store.apiKey(id: userKey.id)?.applicationId == nil)

                #expect(try await store.apiKey(id: "nope") == nil)
                #expect(try await store.apiKey(hash: applicationKey.id) == nil)
                let audited = try await store.auditEvents(PageRequest(keywords: "apikey.create")).items
                #expect(audited.count == 2)
            }
        }

        @Test(arguments: StoreBackend.all)
        func anAPIKeyNeedsAnOwnerOfItsOwnOrganisation(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                let (other, otherApplication, otherUser) = try await owners(in: store)
                let auditBefore = try await store.auditEvents(PageRequest()).total

                let ghostOrganisation = Fixture.organisation()
                await #expect(throws: DomainError.notFound("organisation '\(ghostOrganisation.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: ghostOrganisation, application: application), audit: Fixture.audit())
                }
                let ghostApplication = Fixture.application(in: organisation)
                await #expect(throws: DomainError.notFound("application '\(ghostApplication.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: organisation, application: ghostApplication), audit: Fixture.audit())
                }
                let ghostUser = Fixture.user(in: organisation)
                await #expect(throws: DomainError.notFound("user '\(ghostUser.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: organisation, user: ghostUser), audit: Fixture.audit())
                }
                // An owner of another organisation is no owner here.
                await #expect(throws: DomainError.notFound("application '\(otherApplication.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: organisation, application: otherApplication), audit: Fixture.audit())
                }
                await #expect(throws: DomainError.notFound("user '\(otherUser.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: organisation, user: otherUser), audit: Fixture.audit())
                }
                await #expect(throws: DomainError.notFound("user '\(user.id)'")) {
                    try await store.insertAPIKey(Fixture.apiKey(in: other, user: user), audit: Fixture.audit())
                }
                #expect(try await store.apiKeys(organisationId: nil, PageRequest()).total == 0)
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)
            }
        }

        @Test(arguments: StoreBackend.all)
        func twoKeysCannotShareAHash(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                let first = Fixture.apiKey(in: organisation, application: application)
                try await store.insertAPIKey(first, audit: Fixture.audit())
                let auditBefore = try await store.auditEvents(PageRequest()).total
                var second = Fixture.apiKey(in: organisation, user: user)
                second.keyHash = first.keyHash
                await #expect(throws: DomainError.self) { try await store.insertAPIKey(second, audit: Fixture.audit()) }
                #expect(try await store.apiKey(id: second.id) == nil)
                #expect(try await store.apiKey(hash: first.keyHash) == first)
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)
            }
        }

        @Test(arguments: StoreBackend.all)
        func listsFilterByOrganisationAndKeywordsAndPage(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (first, application, user) = try await owners(in: store)
                let (second, otherApplication, _) = try await owners(in: store)
                for (index, name) in ["deploy", "Backup job", "metrics", "deploy_2"].enumerated() {
                    var key = Fixture.apiKey(in: first, application: index.isMultiple(of: 2) ? application : nil, user: user, name: name)
                    key.description = index == 2 ? "for the DEPLOY dashboard" : nil
                    key.createdAt = Fixture.now.addingTimeInterval(Double(index))
                    try await store.insertAPIKey(key, audit: Fixture.audit())
                }
                var foreign = Fixture.apiKey(in: second, application: otherApplication, name: "deploy")
                foreign.keyPrefix = "ghak_Zz9y"
                try await store.insertAPIKey(foreign, audit: Fixture.audit())

                #expect(try await store.apiKeys(organisationId: nil, PageRequest()).total == 5)
                #expect(try await store.apiKeys(organisationId: first.id, PageRequest()).items.map(\.name) == ["deploy", "Backup job", "metrics", "deploy_2"])
                #expect(try await store.apiKeys(organisationId: second.id, PageRequest()).items.map(\.id) == [foreign.id])
                // Keywords match the name, the description and the key prefix, case-insensitively.
                #expect(try await store.apiKeys(organisationId: first.id, PageRequest(keywords: "DEPLOY")).items.map(\.name) == ["deploy", "metrics", "deploy_2"])
                #expect(try await store.apiKeys(organisationId: nil, PageRequest(keywords: "zz9")).items.map(\.id) == [foreign.id])
                // `_` is literal, not a wildcard.
                #expect(try await store.apiKeys(organisationId: nil, PageRequest(keywords: "y_")).items.map(\.name) == ["deploy_2"])
                let page = try await store.apiKeys(organisationId: first.id, PageRequest(pageIndex: 2, pageSize: 3))
                #expect(page.items.map(\.name) == ["deploy_2"])
                #expect(page.total == 4 && page.pageIndex == 2 && page.pageSize == 3)
                #expect(try await store.apiKeys(organisationId: first.id, PageRequest(pageIndex: 3, pageSize: 3)).items.isEmpty)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatesReplaceTheMutableFieldsOnly(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                let original = Fixture.apiKey(in: organisation, application: application)
                try await store.insertAPIKey(original, audit: Fixture.audit())
                var changed = original
                changed.name = "renamed"
                changed.description = nil
                changed.scopes = ["orders:read", "orders:write"]
                changed.expiresAt = nil
                changed.disabled = true
                changed.updatedAt = Fixture.now.addingTimeInterval(60)
                try await store.updateAPIKey(changed, audit: Fixture.audit("apikey.update"))
                #expect(try await store.apiKey(id: original.id) == changed)

                // The hash, prefix, owner, organisation, last use and creation date never change here.
                var sneaky = changed
                sneaky.keyHash = "another hash"
                sneaky.keyPrefix = "ghak_XXXX"
                sneaky.applicationId = nil
                sneaky.userId = user.id
                sneaky.lastUsedAt = Fixture.now.addingTimeInterval(600)
                sneaky.createdAt = Fixture.now.addingTimeInterval(600)
                try await store.updateAPIKey(sneaky, audit: Fixture.audit("apikey.update"))
                #expect(try await store.apiKey(id: original.id) == changed)
                #expect(try await store.apiKey(hash: "another hash") == nil)
                #expect(try await store.auditEvents(PageRequest(keywords: "apikey.update")).total == 2)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatingOrDeletingAMissingKeyIsNotFound(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, _) = try await owners(in: store)
                let ghost = Fixture.apiKey(in: organisation, application: application)
                let auditBefore = try await store.auditEvents(PageRequest()).total
                await #expect(throws: DomainError.notFound("API key '\(ghost.id)'")) { try await store.updateAPIKey(ghost, audit: Fixture.audit()) }
                await #expect(throws: DomainError.notFound("API key '\(ghost.id)'")) { try await store.deleteAPIKey(id: ghost.id, audit: Fixture.audit()) }
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)

                try await store.insertAPIKey(ghost, audit: Fixture.audit())
                try await store.deleteAPIKey(id: ghost.id, audit: Fixture.audit("apikey.delete"))
                #expect(try await store.apiKey(id: ghost.id) == nil)
                #expect(try await store.apiKey(hash: ghost.keyHash) == nil)
                #expect(try await store.auditEvents(PageRequest(keywords: "apikey.delete")).total == 1)
            }
        }

        @Test(arguments: StoreBackend.all)
        func recordingUseIsOneBatchThatOnlyMovesForward(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                var first = Fixture.apiKey(in: organisation, application: application)
                first.lastUsedAt = nil
                let second = Fixture.apiKey(in: organisation, user: user)
                try await store.insertAPIKey(first, audit: Fixture.audit())
                try await store.insertAPIKey(second, audit: Fixture.audit())
                let auditBefore = try await store.auditEvents(PageRequest()).total
                var later = Fixture.now.addingTimeInterval(120)

                // One batch for several keys; an unknown id is ignored.
                try await store.recordAPIKeyUse([first.id: Fixture.now, second.id: later, "no-such-key": later])
                #expect(try await store.apiKey(id: first.id)?.lastUsedAt == Fixture.now)
                #expect(try await store.apiKey(id: second.id)?.lastUsedAt == later)

                // An older date (a slow instance's batch) never moves the last use back.
                try await store.recordAPIKeyUse([first.id: Fixture.now.addingTimeInterval(-1), second.id: Fixture.now])
                #expect(try await store.apiKey(id: first.id)?.lastUsedAt == Fixture.now)
                #expect(try await store.apiKey(id: second.id)?.lastUsedAt == later)

                try await store.recordAPIKeyUse([first.id: later])
                #expect(try await store.apiKey(id: first.id)?.lastUsedAt == later)
                try await store.recordAPIKeyUse([:])

                // A batch bigger than one statement's 500 rows reaches every key in it.
                var big = Dictionary(uniqueKeysWithValues: (0..<1_200).map { ("unknown-\($0)", later) })
                big[first.id] = later.addingTimeInterval(1)
                big[second.id] = later.addingTimeInterval(2)
                try await store.recordAPIKeyUse(big)
                #expect(try await store.apiKey(id: first.id)?.lastUsedAt == later.addingTimeInterval(1))
                #expect(try await store.apiKey(id: second.id)?.lastUsedAt == later.addingTimeInterval(2))
                later = later.addingTimeInterval(2)

                // Recording use is not a change to audit, and touches nothing else.
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)
                var expected = second
                expected.lastUsedAt = later
                #expect(try await store.apiKey(id: second.id) == expected)
            }
        }

        @Test(arguments: StoreBackend.all)
        func deletingTheOwnerDeletesItsKeysOnly(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let (organisation, application, user) = try await owners(in: store)
                let otherApplication = Fixture.application(in: organisation, name: "Other")
                try await store.insertApplication(otherApplication, audit: Fixture.audit())
                let otherUser = Fixture.user(in: organisation, username: "bob")
                try await store.insertUser(otherUser, audit: Fixture.audit())
                let applicationKeys = [Fixture.apiKey(in: organisation, application: application), Fixture.apiKey(in: organisation, application: application)]
                let userKey = Fixture.apiKey(in: organisation, user: user)
                let otherApplicationKey = Fixture.apiKey(in: organisation, application: otherApplication)
                let otherUserKey = Fixture.apiKey(in: organisation, user: otherUser)
                for key in applicationKeys + [userKey, otherApplicationKey, otherUserKey] {
                    try await store.insertAPIKey(key, audit: Fixture.audit())
                }

                try await store.deleteApplication(id: application.id, audit: Fixture.audit("application.delete"))
                for key in applicationKeys {
                    #expect(try await store.apiKey(id: key.id) == nil)
                    #expect(try await store.apiKey(hash: key.keyHash) == nil)
                }
                #expect(try await store.apiKey(id: userKey.id) == userKey)

                try await store.deleteUser(id: user.id, audit: Fixture.audit("user.delete"))
                #expect(try await store.apiKey(id: userKey.id) == nil)
                #expect(try await store.apiKeys(organisationId: organisation.id, PageRequest()).items.map(\.id).sorted()
                    == [otherApplicationKey.id, otherUserKey.id].sorted())
            }
        }
    }
}
