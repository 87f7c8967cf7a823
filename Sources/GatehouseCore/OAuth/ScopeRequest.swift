/// RFC 6749 §3.3: "The authorization server MAY fully or partially ignore the scope requested by
/// the client" — Gatehouse does not: a scope outside what is allowed is `invalid_scope`.
enum ScopeRequest {
    /// The granted scopes: all `allowed` when nothing was requested, else exactly the request,
    /// which must be a subset of `allowed`.
    static func grant(_ requested: [String]?, allowed: [String]) throws -> [String] {
        guard let requested else { return allowed }
        var seen = Set<String>()
        let unique = requested.filter { seen.insert($0).inserted }
        if let outside = unique.first(where: { !allowed.contains($0) }) {
            throw OAuthError.invalidScope("scope '\(outside.prefix(100))' is not allowed for this client")
        }
        return unique
    }
}
