import Foundation

/// Everything the domain needs from storage, as one protocol made of one protocol per feature
/// (``OrganisationStore``, ``ApplicationStore``, …): a wrapper (``CachedStore``) implements
/// what it changes and passes the rest through (``StoreWrapper``).
/// One implementation per database (SQLite, PostgreSQL), all held to one conformance test suite.
///
/// Every change takes the ``AuditEvent`` that records it, and a store writes both in one
/// transaction: a change without its audit entry cannot happen.
public protocol Store:
    Housekeeping, SettingStore, OrganisationStore, ApplicationStore, AdminKeyStore, AuditStore, UserStore,
    RefreshTokenStore, RevocationStore, SigningKeyStore, APIKeyStore, ConsumerCredentialStore, ChangeFeed {}

/// A ``Store`` in front of another (``CachedStore``): every requirement it does not implement
/// itself goes to ``base`` unchanged. The forwarding is written once, next to each feature's
/// protocol, so a wrapper holds only what it changes.
public protocol StoreWrapper: Store {
    /// The store behind this one.
    var base: any Store { get }
}
