import Hummingbird

extension Router<GatehouseRequestContext> {
    /// The error format of each route group by path prefix, for the answers no route of the group
    /// gives (405): the same formats as the groups' own ``ErrorMiddleware``s. The rest (`/v1/check`,
    /// `/healthz`, `/readyz`, `/metrics`) answers in the check's.
    static let errorFormats: [(prefix: String, format: any ErrorFormat.Type)] = [
        ("/admin", AdminErrorFormat.self),
        ("/oauth", OAuthErrorFormat.self),
        ("/.well-known", OAuthErrorFormat.self),
        ("/authentication/consumer_application_key", ConsumerErrorFormat.self),
        // SPEC §4 gives customer sessions the admin API's JSON (and its body decoder).
        ("/v1/customer-sessions", AdminErrorFormat.self),
    ]

    /// RFC 9110 §15.5.6 on every path added so far: call it once, after the last route.
    func answerUndeclaredMethods() {
        add(middleware: MethodNotAllowedMiddleware(routes: routes, formats: Self.errorFormats, fallback: CheckErrorFormat.self))
    }
}
