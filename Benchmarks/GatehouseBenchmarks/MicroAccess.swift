import Foundation
import GatehouseCore

/// Policy evaluation and the helpers it leans on, as `/v1/check` runs them after verification.
enum MicroAccess {
    static let typicalPath = "/v1/orders/123/items?x=1"
    static let messyPath = "/v1//orders/./123/%2e%2e/456/%7Eitems/?x=1&y=%2F"

    static func run(_ runner: MicroRunner) {
        let now = Date()
        let restricted = application(
            allowedIPs: ["10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32", "203.0.113.0/24"],
            allowedMethods: ["GET", "POST", "PUT"],
            resources: ["/v1/customers/*", "/v1/products/*/reviews", "/v1/health", "/v1/orders/**"]
        )
        let open = application()
        let key = apiKey(applicationId: restricted.id)
        let request = AccessRequest(
            method: "GET", uri: typicalPath, clientIP: IPAddress("203.0.113.7"), requiredScopes: ["orders:read"]
        )
        let claims = MicroJOSE.realisticClaims(now: now)

        runner.run("policy.evaluate API key, restricted app") {
            allowed(Policy.evaluate(request, credential: .apiKey(key, application: restricted), now: now))
        }
        runner.run("policy.evaluate access token, restricted app") {
            allowed(Policy.evaluate(request, credential: .accessToken(claims, application: restricted), now: now))
        }
        runner.run("policy.evaluate API key, unrestricted app") {
            allowed(Policy.evaluate(request, credential: .apiKey(key, application: open), now: now))
        }
        runner.run("path.normalise typical") {
            PathNormaliser.normalise(typicalPath)?.utf8.count ?? 0
        }
        runner.run("path.normalise messy (%2e, //, ./, %7E)") {
            PathNormaliser.normalise(messyPath)?.utf8.count ?? 0
        }
        runner.run("cidr.parse + contains (one entry)") {
            CIDR("203.0.113.0/24")?.contains(IPAddress("203.0.113.7")!) == true ? 1 : 0
        }

        let bytes = Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        let encoded = Base64URL.encode(bytes)
        let encodedSlice = Substring(encoded)
        runner.run("base64url.encode 300 B") {
            Base64URL.encode(bytes).utf8.count
        }
        runner.run("base64url.decode 300 B") {
            Base64URL.decode(encodedSlice)?.count ?? 0
        }
    }

    private static func allowed(_ decision: Decision) -> Int {
        if case .allow = decision { return 1 }
        return 0
    }

    /// An application as the admin API creates one, with the given policy.
    static func application(
        secretHash: String = String(repeating: "0", count: 64), allowedIPs: [String] = [], allowedMethods: [String] = [],
        resources: [String] = []
    ) -> Application {
        let now = Date()
        return Application(
            id: UUID().uuidString.lowercased(), organisationId: UUID().uuidString.lowercased(),
            clientId: UUID().uuidString.lowercased(), secretHash: secretHash, name: "Shop backend", description: nil,
            grantTypes: ["client_credentials"], scopes: ["orders:read", "orders:write"], redirectUris: [],
            authorizationType: .bearer, allowedIPs: allowedIPs.map(AllowedIP.init), allowedMethods: allowedMethods,
            resources: resources.map(ResourcePattern.init),
            sessionAccess: .none, sessionCustomer: nil, accessTokenTTL: 3600, disabled: false, createdAt: now, updatedAt: now
        )
    }

    static func apiKey(applicationId: String) -> APIKey {
        let now = Date()
        return APIKey(
            id: UUID().uuidString.lowercased(), organisationId: UUID().uuidString.lowercased(), name: "ci", description: nil,
            keyHash: String(repeating: "0", count: 64), keyPrefix: "ghak_abcd", applicationId: applicationId, userId: nil,
            scopes: ["orders:read"], expiresAt: nil, lastUsedAt: nil, disabled: false, createdAt: now, updatedAt: now
        )
    }
}
