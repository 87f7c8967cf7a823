import GatehouseCore

/// The OAuth parts of one server, built once from its configuration.
struct OAuthComponents {
    let authenticator: ClientAuthenticator
    let grants: Grants
    let introspection: Introspection
    let revocation: Revocation

    init(
        configuration: ServerConfiguration, store: any Store, hasher: SecretHasher, passwords: PasswordHasher, keys: SigningKeyRing,
        apiKeys: APIKeyVerifier
    ) {
        let issuer = TokenIssuer(issuer: configuration.issuer, audience: configuration.audience, keys: keys, store: store, hasher: hasher)
        authenticator = ClientAuthenticator(store: store, hasher: hasher, passwords: passwords)
        grants = Grants([
            ClientCredentialsGrant(issuer: issuer, store: store),
            PasswordGrant(issuer: issuer, store: store, passwords: passwords),
            RefreshTokenGrant(issuer: issuer, store: store, hasher: hasher),
        ])
        let verifier = AccessTokenVerifier(issuer: configuration.issuer, audience: configuration.audience)
        introspection = Introspection(store: store, hasher: hasher, verifier: verifier, keys: keys, apiKeys: apiKeys)
        revocation = Revocation(store: store, hasher: hasher, introspection: introspection)
    }
}
