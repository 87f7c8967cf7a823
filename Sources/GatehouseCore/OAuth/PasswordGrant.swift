import Foundation

/// RFC 6749 §4.3, the resource owner password credentials grant — off unless an application
/// lists `password` in its grantTypes (RFC 9700 §2.4: it "MUST NOT be used").
///
/// The user must belong to the application's organisation; an unknown user costs the same KDF
/// time as a wrong password and gets the same answer.
public struct PasswordGrant: Grant {
    public static let grantType = "password"
    let issuer: TokenIssuer
    let store: any Store
    let passwords: PasswordHasher

    public init(issuer: TokenIssuer, store: any Store, passwords: PasswordHasher) {
        self.issuer = issuer
        self.store = store
        self.passwords = passwords
    }

    public func exchange(_ request: TokenRequest, client: AuthenticatedClient, now: Date) async throws -> TokenResponse {
        guard case .application(let application) = client else { throw OAuthError(.unauthorizedClient, "API users use client_credentials") }
        let username = try request.require("username")
        // Longer than any user name: nobody's, so no lookup and no dummy KDF (issue 14).
        guard username.prefix(UserRules.maxUsernameLength + 1).count <= UserRules.maxUsernameLength else {
            throw OAuthError.invalidRequest("username is longer than any user name (\(UserRules.maxUsernameLength) characters)")
        }
        let password = try request.require("password")
        let scopes = try ScopeRequest.grant(request.scopes, allowed: application.scopes)
        let user = try await store.user(organisationId: application.organisationId, username: username)
        let verified = try await passwords.verifyAtTokenEndpoint(password, against: user?.passwordHash)
        guard verified, let user, !user.disabled else { throw OAuthError.wrongUserCredential }
        let grant = TokenIssuer.Grant(
            subject: user.id, clientId: application.clientId, organisationId: application.organisationId,
            scopes: scopes, lifetime: application.accessTokenTTL
        )
        let (token, claims) = try issuer.accessToken(grant, now: now)
        let refreshToken = application.grantTypes.contains(.refreshToken)
            ? try await issuer.refreshToken(applicationId: application.id, userId: user.id, organisationId: application.organisationId, scopes: scopes, now: now)
            : nil
        return TokenIssuer.response(token, claims, refreshToken: refreshToken)
    }
}
