import Foundation

extension Application {
    /// Whether a token of this application acting for `customer` (a user id; `nil` acts for
    /// nobody) is still honoured under the application's *current* settings (SPEC §4): a token
    /// never outlives the permission it was issued under.
    /// - `any`: for any customer;
    /// - `auto`: only for the customer its `sessionCustomer` names now;
    /// - `none`: for nobody.
    ///
    /// Applications and users by id are cached reads (``CachedStore``), dropped on every change on
    /// every instance, so this costs no database read once warm.
    public func mayStillAct(forCustomer customer: String?, store: any Store) async throws -> Bool {
        guard let customer else { return true }
        switch sessionAccess {
        case .none: return false
        case .any: return true
        case .auto: return try await sessionCustomerIs(customer, store: store)
        }
    }

    /// Whether `sessionCustomer` names the user `customerId`, resolved as the issuer resolves it
    /// (``CustomerSessions/customer(_:organisationId:store:)``: a user id of the organisation,
    /// else a username of it) — but with reads by id only, which are cached: a username names the
    /// customer exactly when no user of the organisation has that id and the customer, of the
    /// organisation, has that username (usernames are unique in an organisation).
    func sessionCustomerIs(_ customerId: String, store: any Store) async throws -> Bool {
        guard let name = sessionCustomer else { return false }
        if let named = try await store.user(id: name), named.organisationId == organisationId { return named.id == customerId }
        guard let customer = try await store.user(id: customerId) else { return false }
        return customer.organisationId == organisationId && customer.username == name
    }
}
