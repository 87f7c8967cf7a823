extension PasswordHasher {
    /// ``verify(_:against:)`` for the token endpoint: a full KDF queue is the endpoint's 429
    /// (`temporarily_unavailable` with `Retry-After`), not an unexplained failure.
    func verifyAtTokenEndpoint(_ password: String, against storedHash: String?) async throws -> Bool {
        do {
            return try await verify(password, against: storedHash)
        } catch is PasswordHasher.Overloaded {
            throw OAuthError(.temporarilyUnavailable, "too many password checks in progress; retry shortly")
        }
    }
}
