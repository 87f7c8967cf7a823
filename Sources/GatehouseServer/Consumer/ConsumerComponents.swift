import GatehouseCore
import Hummingbird

/// The vendor-compatible endpoints of SPEC §4, wired once per server: the consumer application
/// key flow and customer sessions.
struct ConsumerComponents {
    let exchange: ConsumerTokenExchange
    let sessions: CustomerSessions

    init(
        configuration: ServerConfiguration, store: any Store, hasher: SecretHasher, passwords: PasswordHasher, keys: SigningKeyRing,
        introspection: Introspection, apiKeys: APIKeyVerifier
    ) {
        let issuer = TokenIssuer(issuer: configuration.issuer, audience: configuration.audience, keys: keys, store: store, hasher: hasher)
        exchange = ConsumerTokenExchange(
            store: store, hasher: hasher, passwords: passwords, issuer: issuer, introspection: introspection, apiKeys: apiKeys
        )
        sessions = CustomerSessions(store: store, issuer: issuer, introspection: introspection)
    }

    /// `POST /authentication/consumer_application_key/token` and `POST /v1/customer-sessions`,
    /// each group with the error middleware of its own format.
    func addRoutes(to router: Router<GatehouseRequestContext>, authenticationGuard: AuthenticationGuard) {
        let consumer = router.group("authentication/consumer_application_key").add(middleware: ErrorMiddleware<ConsumerErrorFormat>())
        ConsumerTokenController(exchange: exchange, authenticationGuard: authenticationGuard).addRoutes(to: consumer)
        let sessionsGroup = router.group("v1/customer-sessions").add(middleware: ErrorMiddleware<AdminErrorFormat>(routeGroup: "customer sessions"))
        CustomerSessionsController(sessions: sessions, authenticationGuard: authenticationGuard).addRoutes(to: sessionsGroup)
    }
}
