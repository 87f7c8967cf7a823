import Foundation
@testable import GatehouseCore

/// Builders for the policy suites: applications, keys and tokens with only the fields policy reads.
enum PolicyFixture {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func application(
        clientId: String = "app-client", authorizationType: AuthorizationType = .bearer, scopes: [String] = ["orders:read"],
        allowedIPs: [String] = [], allowedMethods: [String] = [], resources: [String] = []
    ) -> Application {
        Application(
            id: "app-1", organisationId: "org-1", clientId: clientId, secretHash: "h", name: "Shop", description: nil,
            grantTypes: ["client_credentials"], scopes: scopes, redirectUris: [], authorizationType: authorizationType,
            allowedIPs: allowedIPs.map(AllowedIP.init), allowedMethods: allowedMethods, resources: resources.map(ResourcePattern.init), sessionAccess: .none,
            sessionCustomer: nil, accessTokenTTL: 3600, disabled: false, createdAt: now, updatedAt: now
        )
    }

    static func apiKey(applicationId: String? = nil, userId: String? = nil, scopes: [String] = ["orders:read"]) -> APIKey {
        APIKey(
            id: "key-1", organisationId: "org-2", name: "ci", description: nil, keyHash: "h", keyPrefix: "ghak_abcd",
            applicationId: applicationId, userId: userId, scopes: scopes, expiresAt: nil, lastUsedAt: nil, disabled: false,
            createdAt: now, updatedAt: now
        )
    }

    static func claims(sub: String = "user-1", clientId: String = "app-client", scope: String = "orders:read orders:write", customer: String? = nil) -> AccessTokenClaims {
        let seconds = Int(now.timeIntervalSince1970)
        return AccessTokenClaims(
            iss: "http://gatehouse", sub: sub, aud: "http://gatehouse", exp: seconds + 600, iat: seconds, nbf: seconds,
            jti: "jti-1", client_id: clientId, scope: scope, org: "org-1", customer: customer
        )
    }

    static func request(
        _ method: String = "GET", _ uri: String = "/v1/orders", ip: String? = "203.0.113.7", scopes: [String] = []
    ) -> AccessRequest {
        AccessRequest(method: method, uri: uri, clientIP: ip.flatMap(IPAddress.init), requiredScopes: scopes)
    }

    static func evaluate(_ request: AccessRequest, _ credential: VerifiedCredential) -> Decision {
        Policy.evaluate(request, credential: credential, now: now)
    }
}
