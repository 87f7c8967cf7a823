import Foundation
import GatehouseCore

/// JWS access tokens per algorithm: what `/oauth/token` signs and what `/v1/check` and the
/// resource-server library verify.
enum MicroJOSE {
    static let issuer = "https://gatehouse.example.com"

    static func run(_ runner: MicroRunner) throws {
        let now = Date()
        let claims = realisticClaims(now: now)
        let payload = try JSONEncoder.gatehouse.encode(claims)
        let verifier = AccessTokenVerifier(issuer: issuer, audience: issuer)

        for algorithm in SigningAlgorithm.allCases {
            let key = try SigningKey.generate(algorithm)
            let verificationKey = key.verificationKey
            let token = try JWS.sign(payload: payload, type: AccessTokenClaims.type, with: key)
            guard let parts = JWS.parse(token),
                  verifier.verify(token, now: now, key: { $0 == key.kid ? verificationKey : nil }) == claims
            else { throw BenchFailure("an \(algorithm.rawValue) token did not verify") }
            let name = algorithm.rawValue

            // As TokenIssuer does it: write the claims (JSONObjectWritable), then sign.
            try runner.run("jws.sign \(name) (encode + sign)") {
                try JWS.sign(payload: claims.jsonBytes, type: AccessTokenClaims.type, with: key).utf8.count
            }
            let signingInput = Array(parts.signingInput)
            try runner.run("jws.signature \(name) (raw sign)") {
                try key.sign(signingInput).count
            }
            // Split, decode header, check kid/alg/typ, signature, decode and check claims.
            runner.run("jws.verify \(name) (AccessTokenVerifier)") {
                verifier.verify(token, now: now, key: { $0 == key.kid ? verificationKey : nil })?.exp ?? 0
            }
            runner.run("jws.signature \(name) (raw check)") {
                verificationKey.isValidSignature(parts.signature, for: parts.signingInput) ? 1 : 0
            }
        }

        let token = try JWS.sign(payload: payload, type: AccessTokenClaims.type, with: try SigningKey.generate(.es256))
        runner.run("jws.parse (split + base64url + header)") {
            JWS.parse(token)?.payload.count ?? 0
        }
        runner.run("claims.decode (JSONDecoder)") {
            (try? JSONDecoder().decode(AccessTokenClaims.self, from: payload))?.exp ?? 0
        }
    }

    /// A client-credentials token like the server issues: UUID ids, two scopes, one hour.
    static func realisticClaims(now: Date) -> AccessTokenClaims {
        let seconds = Int(now.timeIntervalSince1970)
        let clientId = UUID().uuidString.lowercased()
        return AccessTokenClaims(
            iss: issuer, sub: clientId, aud: issuer, exp: seconds + 3600, iat: seconds, nbf: seconds,
            jti: UUID().uuidString.lowercased(), client_id: clientId, scope: "orders:read orders:write",
            org: UUID().uuidString.lowercased()
        )
    }
}
