import Foundation

extension Introspection {
    /// Whether what proved who a consumer token's consumer is still stands (SPEC §4, issue 14):
    /// - exchanged with a consumer credential (`consumer_credential_id`): it exists, is not
    ///   disabled, belongs to the token's `sub` and organisation — disabling or deleting the
    ///   credential stops every token exchanged with it;
    /// - exchanged with a user's access token (`parent_jti`, no credential): that token is not
    ///   revoked;
    /// - naming neither (minted before tokens named their credential), or both: fail closed.
    ///
    /// A cached read (``CachedStore``'s credentials by id, dropped on every credential or user
    /// change on every instance), so a warm check reads no database.
    func hasLiveConsumerSource(_ claims: AccessTokenClaims) async throws -> Bool {
        switch (claims.consumer_credential_id, claims.parent_jti) {
        case (let credentialId?, nil):
            guard let credential = try await store.consumerCredential(id: credentialId) else { return false }
            return !credential.disabled && credential.userId == claims.sub && credential.organisationId == claims.org
        case (nil, .some):
            return try await !isParentRevoked(claims)
        default:
            return false
        }
    }
}
