import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension Fixture {
    static func user(in organisation: Organisation, username: String = "alice", apiUser: Bool = false) -> User {
        User(
            id: UUID().uuidString.lowercased(), organisationId: organisation.id, username: username,
            passwordHash: "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            apiUser: apiUser, disabled: false, units: ["north", "sales team"], createdAt: now, updatedAt: now.addingTimeInterval(5)
        )
    }

    static func refreshToken(for user: User, application: Application) -> RefreshToken {
        RefreshToken(
            id: UUID().uuidString.lowercased(), tokenHash: UUID().uuidString, familyId: UUID().uuidString.lowercased(),
            generation: 0, applicationId: application.id, userId: user.id, organisationId: user.organisationId,
            scopes: ["orders:read"], consumed: false, revoked: false, createdAt: now,
            expiresAt: now.addingTimeInterval(3600), familyExpiresAt: now.addingTimeInterval(86_400)
        )
    }
}

extension StoreConformance {
    @Suite struct UserStoreTests {
        @Test(arguments: StoreBackend.all)
        func everyFieldOfAUserRoundTrips(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                var user = Fixture.user(in: organisation, apiUser: true)
                user.disabled = true
                try await store.insertUser(user, audit: Fixture.audit("user.create"))
                #expect(try await store.user(id: user.id) == user)
                #expect(try await store.user(organisationId: organisation.id, username: "alice") == user)
                #expect(try await store.apiUser(username: "alice") == user)
                #expect(try await store.user(organisationId: organisation.id, username: "Alice") == nil)
                #expect(try await store.user(id: "alice") == nil)
                let audited = try await store.auditEvents(PageRequest(keywords: "user.create")).items
                #expect(audited.map(\.action) == ["user.create"])
            }
        }

        @Test(arguments: StoreBackend.all)
        func aUserNeedsAnExistingOrganisation(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let ghost = Fixture.organisation()
                await #expect(throws: DomainError.self) { try await store.insertUser(Fixture.user(in: ghost), audit: Fixture.audit()) }
                let auditTotal = try await store.auditEvents(PageRequest()).total
                #expect(auditTotal == 0)
            }
        }

        @Test(arguments: StoreBackend.all)
        func usernamesAreUniquePerOrganisationButMayRepeatAcrossOrganisations(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = Fixture.organisation()
                let second = Fixture.organisation()
                try await store.insertOrganisation(first, audit: Fixture.audit())
                try await store.insertOrganisation(second, audit: Fixture.audit())
                try await store.insertUser(Fixture.user(in: first), audit: Fixture.audit())
                let auditBefore = try await store.auditEvents(PageRequest()).total
                await #expect(throws: DomainError.conflict("the username 'alice' is taken")) {
                    try await store.insertUser(Fixture.user(in: first), audit: Fixture.audit())
                }
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)
                try await store.insertUser(Fixture.user(in: second), audit: Fixture.audit())
                #expect(try await store.users(organisationId: nil, PageRequest()).total == 2)

                // Renaming into a taken username is a conflict too.
                var bob = Fixture.user(in: first, username: "bob")
                try await store.insertUser(bob, audit: Fixture.audit())
                bob.username = "alice"
                await #expect(throws: DomainError.self) { try await store.updateUser(bob, audit: Fixture.audit()) }
                #expect(try await store.user(id: bob.id)?.username == "bob")
            }
        }

        @Test(arguments: StoreBackend.all)
        func apiUserUsernamesAreUniqueAcrossOrganisations(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = Fixture.organisation()
                let second = Fixture.organisation()
                try await store.insertOrganisation(first, audit: Fixture.audit())
                try await store.insertOrganisation(second, audit: Fixture.audit())
                let api = Fixture.user(in: first, username: "svc", apiUser: true)
                try await store.insertUser(api, audit: Fixture.audit())
                await #expect(throws: DomainError.self) {
                    try await store.insertUser(Fixture.user(in: second, username: "svc", apiUser: true), audit: Fixture.audit())
                }
                do {
                    try await store.insertUser(Fixture.user(in: second, username: "svc", apiUser: true), audit: Fixture.audit())
                } catch let error as DomainError {
                    guard case .conflict = error else { Issue.record("expected a conflict, got \(error)"); return }
                }
                // A plain user of that name in another organisation is fine…
                var plain = Fixture.user(in: second, username: "svc", apiUser: false)
                try await store.insertUser(plain, audit: Fixture.audit())
                // …but it cannot become a second API user "svc".
                plain.apiUser = true
                await #expect(throws: DomainError.self) { try await store.updateUser(plain, audit: Fixture.audit()) }
                #expect(try await store.user(id: plain.id)?.apiUser == false)
                #expect(try await store.apiUser(username: "svc") == api)
            }
        }

        @Test(arguments: StoreBackend.all)
        func listsFilterByOrganisationAndKeywordsAndPage(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = Fixture.organisation()
                let second = Fixture.organisation()
                try await store.insertOrganisation(first, audit: Fixture.audit())
                try await store.insertOrganisation(second, audit: Fixture.audit())
                for (index, name) in ["alice", "bob", "Alicia", "carol"].enumerated() {
                    var user = Fixture.user(in: first, username: name)
                    user.createdAt = Fixture.now.addingTimeInterval(Double(index))
                    try await store.insertUser(user, audit: Fixture.audit())
                }
                try await store.insertUser(Fixture.user(in: second, username: "alice_2"), audit: Fixture.audit())
                #expect(try await store.users(organisationId: nil, PageRequest()).total == 5)
                #expect(try await store.users(organisationId: first.id, PageRequest()).items.map(\.username) == ["alice", "bob", "Alicia", "carol"])
                #expect(try await store.users(organisationId: first.id, PageRequest(keywords: "ALI")).items.map(\.username) == ["alice", "Alicia"])
                #expect(try await store.users(organisationId: nil, PageRequest(keywords: "ali")).total == 3)
                // `_` is literal, not a wildcard.
                #expect(try await store.users(organisationId: nil, PageRequest(keywords: "e_")).items.map(\.username) == ["alice_2"])
                let page = try await store.users(organisationId: first.id, PageRequest(pageIndex: 2, pageSize: 3))
                #expect(page.items.map(\.username) == ["carol"])
                #expect(page.total == 4 && page.pageIndex == 2 && page.pageSize == 3)
                #expect(try await store.users(organisationId: first.id, PageRequest(pageIndex: 3, pageSize: 3)).items.isEmpty)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatesReplaceEveryMutableField(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                var user = Fixture.user(in: organisation)
                try await store.insertUser(user, audit: Fixture.audit())
                user.username = "alice2"
                user.passwordHash = "$pbkdf2-sha256$i=2000$c2FsdHNhbHRzYWx0c2FsdA$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
                user.apiUser = true
                user.disabled = true
                user.units = []
                user.updatedAt = Fixture.now.addingTimeInterval(60)
                try await store.updateUser(user, audit: Fixture.audit("user.update"))
                #expect(try await store.user(id: user.id) == user)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatingOrDeletingAMissingUserIsNotFound(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let ghost = Fixture.user(in: organisation)
                let auditBefore = try await store.auditEvents(PageRequest()).total
                await #expect(throws: DomainError.notFound("user '\(ghost.id)'")) { try await store.updateUser(ghost, audit: Fixture.audit()) }
                await #expect(throws: DomainError.notFound("user '\(ghost.id)'")) { try await store.deleteUser(id: ghost.id, audit: Fixture.audit()) }
                let auditAfter = try await store.auditEvents(PageRequest()).total
                #expect(auditAfter == auditBefore)
            }
        }

        @Test(arguments: StoreBackend.all)
        func deletingAUserRemovesItAndItsRefreshTokensOnly(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let application = Fixture.application(in: organisation)
                try await store.insertApplication(application, audit: Fixture.audit())
                let alice = Fixture.user(in: organisation)
                let bob = Fixture.user(in: organisation, username: "bob")
                try await store.insertUser(alice, audit: Fixture.audit())
                try await store.insertUser(bob, audit: Fixture.audit())
                let alicesToken = Fixture.refreshToken(for: alice, application: application)
                let bobsToken = Fixture.refreshToken(for: bob, application: application)
                try await store.insertRefreshToken(alicesToken)
                try await store.insertRefreshToken(bobsToken)
                #expect(try await store.refreshToken(hash: alicesToken.tokenHash) == alicesToken)

                try await store.deleteUser(id: alice.id, audit: Fixture.audit("user.delete"))
                #expect(try await store.user(id: alice.id) == nil)
                #expect(try await store.refreshToken(hash: alicesToken.tokenHash) == nil)
                #expect(try await store.refreshToken(hash: bobsToken.tokenHash) == bobsToken)
                #expect(try await store.user(id: bob.id) == bob)
                // The username is free again.
                try await store.insertUser(Fixture.user(in: organisation), audit: Fixture.audit())
            }
        }

        @Test(arguments: StoreBackend.all)
        func revokingAUsersRefreshTokensLeavesOthersUsable(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let application = Fixture.application(in: organisation)
                try await store.insertApplication(application, audit: Fixture.audit())
                let alice = Fixture.user(in: organisation)
                let bob = Fixture.user(in: organisation, username: "bob")
                try await store.insertUser(alice, audit: Fixture.audit())
                try await store.insertUser(bob, audit: Fixture.audit())
                let alicesToken = Fixture.refreshToken(for: alice, application: application)
                let bobsToken = Fixture.refreshToken(for: bob, application: application)
                try await store.insertRefreshToken(alicesToken)
                try await store.insertRefreshToken(bobsToken)
                try await store.revokeRefreshTokens(userId: alice.id)
                #expect(try await store.refreshToken(hash: alicesToken.tokenHash)?.revoked == true)
                #expect(try await store.refreshToken(hash: bobsToken.tokenHash)?.revoked == false)
            }
        }

        @Test(arguments: StoreBackend.all)
        func anOrganisationWithUsersCannotBeDeleted(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                try await store.insertUser(Fixture.user(in: organisation), audit: Fixture.audit())
                await #expect(throws: DomainError.self) { try await store.deleteOrganisation(id: organisation.id, audit: Fixture.audit()) }
                #expect(try await store.organisation(id: organisation.id) != nil)
            }
        }
    }
}
