import Crypto
import Foundation
import GatehouseCore
@testable import GatehouseServer
import GatehouseStore
import HTTPTypes
import NIOCore
import Testing

extension OAuthServer {
    /// The published JWK Set's keys; the answer must be 200.
    func jwks() async throws -> [[String: Any]] {
        let reply = try await send(.get, "/oauth/jwks", body: nil, contentType: nil)
        try #require(reply.status == .ok, "jwks: \(reply.status) \(reply.text)")
        return try #require(reply["keys"] as? [[String: Any]])
    }

    func publishedKids() async throws -> [String] {
        try await jwks().compactMap { $0["kid"] as? String }
    }
}

func randomMasterKey() throws -> MasterKey {
    try MasterKey(base64: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString())
}

@Suite("OAuth discovery (RFC 8414), JWKS (RFC 7517) and signing keys")
struct DiscoveryAndKeysTests {
    // MARK: metadata

    @Test("Both discovery documents describe the server with URLs built from the issuer", arguments: [
        "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
    ])
    func metadata(_ path: String) async throws {
        try await withOAuthServer(issuer: "https://auth.example.com/tenant") { server in
            let reply = try await server.send(.get, path, body: nil, contentType: nil)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.headers[.cacheControl]?.contains("max-age=") == true)
            #expect(reply.string("issuer") == "https://auth.example.com/tenant")
            #expect(reply.string("token_endpoint") == "https://auth.example.com/tenant/oauth/token")
            #expect(reply.string("introspection_endpoint") == "https://auth.example.com/tenant/oauth/introspect")
            #expect(reply.string("revocation_endpoint") == "https://auth.example.com/tenant/oauth/revoke")
            #expect(reply.string("jwks_uri") == "https://auth.example.com/tenant/oauth/jwks")
            #expect(Set(reply.strings("grant_types_supported") ?? []) == ["client_credentials", "password", "refresh_token"])
            #expect(Set(reply.strings("token_endpoint_auth_methods_supported") ?? []) == ["client_secret_basic", "client_secret_post"])
            #expect(Set(reply.strings("revocation_endpoint_auth_methods_supported") ?? []).isSuperset(of: ["client_secret_basic", "client_secret_post"]))
            #expect(Set(reply.strings("introspection_endpoint_auth_methods_supported") ?? []).isSuperset(of: ["client_secret_basic", "client_secret_post"]))
            #expect(Set(reply.strings("access_token_signing_alg_values_supported") ?? []).isSuperset(of: ["ES256", "RS256", "EdDSA"]))
            #expect(reply.strings("response_types_supported") != nil, "RFC 8414 §2: REQUIRED")
            #expect(!(reply.strings("access_token_signing_alg_values_supported") ?? []).contains("none"))
            #expect(!(reply.strings("access_token_signing_alg_values_supported") ?? []).contains("HS256"))
        }
    }

    @Test("The two discovery documents are identical, and the issuer is the iss of issued tokens")
    func documentsAgree() async throws {
        try await withOAuthServer { server in
            let oauth = try await server.send(.get, "/.well-known/oauth-authorization-server", body: nil, contentType: nil)
            let openid = try await server.send(.get, "/.well-known/openid-configuration", body: nil, contentType: nil)
            #expect(oauth.text == openid.text)
            let app = try await server.createApp()
            #expect(try DecodedJWT(try await server.accessToken(app)).string("iss") == oauth.string("issuer"))
            #expect(oauth.string("issuer") == "http://127.0.0.1:8080")
        }
    }

    // MARK: JWKS

    @Test("The JWKS is cacheable and publishes only public members", arguments: SigningAlgorithm.allCases)
    func jwksPublicOnly(_ algorithm: SigningAlgorithm) async throws {
        try await withOAuthServer(signingAlgorithm: algorithm) { server in
            let reply = try await server.send(.get, "/oauth/jwks", body: nil, contentType: nil)
            #expect(reply.status == .ok)
            let cacheControl = try #require(reply.headers[.cacheControl])
            #expect(cacheControl.contains("max-age="))
            #expect(!cacheControl.contains("no-store"))
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.object.keys.sorted() == ["keys"])
            let keys = try #require(reply["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            for key in keys {
                for member in ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] {
                    #expect(key[member] == nil, "private member \(member) published")
                }
                #expect(key["kid"] as? String == server.keys.active.kid)
                #expect(key["alg"] as? String == algorithm.rawValue)
                #expect(key["use"] as? String == "sig")
            }
        }
    }

    @Test("An ES256 server publishes an EC P-256 key with 43-character x and y")
    func ecKeyShape() async throws {
        try await withOAuthServer { server in
            let key = try #require(try await server.jwks().first)
            #expect(key["kty"] as? String == "EC")
            #expect(key["crv"] as? String == "P-256")
            #expect((key["x"] as? String)?.count == 43)
            #expect((key["y"] as? String)?.count == 43)
            #expect(key["n"] == nil && key["e"] == nil)
        }
    }

    @Test("A server started with RS256 publishes an RSA key and signs RS256 tokens that introspect active")
    func rs256Server() async throws {
        try await withOAuthServer(signingAlgorithm: .rs256) { server in
            let key = try #require(try await server.jwks().first)
            #expect(key["kty"] as? String == "RSA")
            #expect(key["alg"] as? String == "RS256")
            #expect((key["n"] as? String).flatMap { Base64URL.decode(Substring($0)) }?.count == 256)
            #expect(key["e"] as? String == "AQAB")
            #expect(key["crv"] == nil && key["x"] == nil)
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let jwt = try DecodedJWT(token)
            #expect(jwt.header["alg"] as? String == "RS256")
            #expect(jwt.header["kid"] as? String == key["kid"] as? String)
            #expect(try await server.isActive(token))
        }
    }

    @Test("An EdDSA server publishes an OKP Ed25519 key")
    func edDSAServer() async throws {
        try await withOAuthServer(signingAlgorithm: .edDSA) { server in
            let key = try #require(try await server.jwks().first)
            #expect(key["kty"] as? String == "OKP")
            #expect(key["crv"] as? String == "Ed25519")
            #expect((key["x"] as? String)?.count == 43)
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            #expect(try DecodedJWT(token).header["alg"] as? String == "EdDSA")
            #expect(try await server.isActive(token))
        }
    }

    @Test("The JWKS verifies an issued token offline")
    func jwksVerifiesTokens() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            let jwk = try #require(try await server.jwks().first)
            let x = try #require((jwk["x"] as? String).flatMap { Base64URL.decode(Substring($0)) })
            let y = try #require((jwk["y"] as? String).flatMap { Base64URL.decode(Substring($0)) })
            let publicKey = try P256.Signing.PublicKey(x963Representation: Data([0x04]) + x + y)
            let segments = token.split(separator: ".")
            let signature = try P256.Signing.ECDSASignature(rawRepresentation: try #require(Base64URL.decode(segments[2])))
            #expect(publicKey.isValidSignature(signature, for: Data("\(segments[0]).\(segments[1])".utf8)))
        }
    }

    // MARK: rotation

    @Test("Rotating: the new key signs, the old one stays published and its tokens stay valid")
    func rotation() async throws {
        try await withOAuthServer { server in
            let app = try await server.createApp()
            let oldToken = try await server.accessToken(app)
            let oldKid = try #require(try DecodedJWT(oldToken).header["kid"] as? String)

            let rotated = try await server.api.send(.post, "/admin/v1/keys/rotate", body: nil, contentType: nil)
            #expect(rotated.status == .created, "\(rotated.text)")
            let newKid = try #require(rotated.string("kid"))
            #expect(newKid != oldKid)
            #expect(rotated.string("state") == "active")
            #expect(rotated.string("algorithm") == "ES256")
            #expect(rotated["privateKey"] == nil && !rotated.text.contains("plain:") && !rotated.text.contains("sealed:"))

            let newToken = try await server.accessToken(app)
            #expect(try DecodedJWT(newToken).header["kid"] as? String == newKid)
            let kids = try await server.publishedKids()
            #expect(kids.first == newKid, "the active key comes first")
            #expect(Set(kids) == [oldKid, newKid])
            #expect(try await server.isActive(oldToken), "a token of the old key stays valid after rotation")
            #expect(try await server.isActive(newToken))
            #expect(try await server.introspect(oldToken, as: .app(app))["active"] as? Bool == true)
        }
    }

    @Test("GET /admin/v1/keys lists every key with its state and never a private key")
    func listKeys() async throws {
        try await withOAuthServer { server in
            let before = try await server.api.get("/admin/v1/keys")
            #expect(before.status == .ok, "\(before.text)")
            #expect(before.items.count == 1)
            #expect(before.items.first?["state"] as? String == "active")
            let firstKid = try #require(before.items.first?["kid"] as? String)

            #expect(try await server.api.send(.post, "/admin/v1/keys/rotate", body: nil, contentType: nil).status == .created)
            let rsa = try await server.api.post("/admin/v1/keys/rotate", ["algorithm": "RS256"])
            #expect(rsa.status == .created, "\(rsa.text)")
            #expect(rsa.string("algorithm") == "RS256")

            let after = try await server.api.get("/admin/v1/keys")
            #expect(after.status == .ok)
            #expect(after.items.count == 3)
            let states = after.items.compactMap { $0["state"] as? String }
            #expect(states.filter { $0 == "active" }.count == 1)
            #expect(states.filter { $0 == "published" }.count == 2)
            let first = try #require(after.items.first { $0["kid"] as? String == firstKid })
            #expect(first["state"] as? String == "published")
            #expect(first["retireAfter"] as? String != nil, "a published key says when it leaves JWKS")
            for item in after.items {
                #expect(Set(item.keys).isSubset(of: ["kid", "algorithm", "state", "createdAt", "retireAfter"]), "\(item.keys)")
            }
            #expect(!after.text.contains("plain:") && !after.text.contains("sealed:"))
            // The JWKS now mixes algorithms; the RS256 key signs.
            let jwks = try await server.jwks()
            #expect(jwks.count == 3)
            #expect(jwks.first?["kty"] as? String == "RSA")
            let app = try await server.createApp()
            let token = try await server.accessToken(app)
            #expect(try DecodedJWT(token).header["alg"] as? String == "RS256")
            #expect(try await server.isActive(token))
        }
    }

    @Test("Key listing and rotation require an admin key")
    func keysNeedAdmin() async throws {
        try await withOAuthServer { server in
            #expect(try await server.api.get("/admin/v1/keys", credential: .none).status == .unauthorized)
            let app = try await server.createApp()
            let reply = try await server.api.send(
                .post, "/admin/v1/keys/rotate", body: nil, contentType: nil, credential: .header(basicAuthorization(app.clientId, app.secret))
            )
            #expect(reply.status == .unauthorized)
            #expect(try await server.publishedKids().count == 1)
        }
    }

    @Test("Rotation refuses an unknown algorithm without changing the keys")
    func rotateUnknownAlgorithm() async throws {
        try await withOAuthServer { server in
            let reply = try await server.api.post("/admin/v1/keys/rotate", ["algorithm": "HS256"])
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(try await server.api.get("/admin/v1/keys").items.count == 1)
            let none = try await server.api.post("/admin/v1/keys/rotate", ["algorithm": "none"])
            #expect(none.status == .badRequest, "\(none.text)")
        }
    }

    // MARK: restarts

    @Test("Restarting on the same database keeps the key (same kid) and earlier tokens stay valid")
    func restartKeepsKeys() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let configuration = sandbox.oauthConfiguration()
        let (token, kid, app) = try await withOAuthServer(configuration, sandbox: sandbox) { server async throws in
            let app = try await server.createApp()
            return (try await server.accessToken(app), try #require(try await server.publishedKids().first), app)
        }
        try await withOAuthServer(configuration, sandbox: sandbox) { server async throws in
            #expect(try await server.publishedKids() == [kid])
            #expect(try await server.isActive(token))
            let again = try await server.accessToken(app)
            #expect(try DecodedJWT(again).header["kid"] as? String == kid)
        }
    }

    @Test("Restarting with a master key keeps the keys, and a rotation on it stays valid across restarts")
    func restartWithMasterKey() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let master = try randomMasterKey()
        let configuration = sandbox.oauthConfiguration(masterKey: master)
        let (token, app) = try await withOAuthServer(configuration, sandbox: sandbox) { server async throws in
            #expect(try await server.api.send(.post, "/admin/v1/keys/rotate", body: nil, contentType: nil).status == .created)
            let app = try await server.createApp()
            return (try await server.accessToken(app), app)
        }
        try await withOAuthServer(configuration, sandbox: sandbox) { server async throws in
            #expect(try await server.isActive(token))
            #expect(try await server.publishedKids().count == 2)
            #expect(try await server.clientCredentials(app).status == .ok)
        }
    }

    @Test("A database whose keys are sealed with one master key refuses to start with another, or with none")
    func wrongMasterKeyRefusesToStart() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = try randomMasterKey()
        try await withOAuthServer(sandbox.oauthConfiguration(masterKey: first), sandbox: sandbox) { server async throws in
            _ = try await server.publishedKids()
        }
        await #expect(throws: (any Error).self) {
            _ = try await buildApplication(sandbox.oauthConfiguration(masterKey: try randomMasterKey()))
        }
        await #expect(throws: (any Error).self) {
            _ = try await buildApplication(sandbox.oauthConfiguration(masterKey: nil))
        }
        // The right key still opens it.
        try await withOAuthServer(sandbox.oauthConfiguration(masterKey: first), sandbox: sandbox) { server async throws in
            #expect(try await server.publishedKids().count == 1)
        }
    }

    @Test("A sealed active signing key never falls back to a new key: the wrong master key is reported for the key")
    func sealedSigningKeyIsNeverReplaced() async throws {
        // Started first without a master key (plain pepper), then with key A, which seals a
        // rotated signing key: the pepper no longer stops a start with key B, the signing key must.
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let master = try randomMasterKey()
        try await withOAuthServer(sandbox.oauthConfiguration(), sandbox: sandbox) { _ in }
        let sealedKid = try await withOAuthServer(sandbox.oauthConfiguration(masterKey: master), sandbox: sandbox) { server async throws in
            let reply = try await server.api.send(.post, "/admin/v1/keys/rotate", body: nil, contentType: nil)
            try #require(reply.status == .created)
            return try #require(reply.string("kid"))
        }
        await #expect {
            _ = try await buildApplication(sandbox.oauthConfiguration(masterKey: try randomMasterKey()))
        } throws: { error in
            guard case StoredSigningKey.Unusable.wrongMasterKey(let kid) = error else { return false }
            return kid == sealedKid
        }
        await #expect {
            _ = try await buildApplication(sandbox.oauthConfiguration(masterKey: nil))
        } throws: { error in
            guard case StoredSigningKey.Unusable.needsMasterKey(let kid) = error else { return false }
            return kid == sealedKid
        }
        // Neither attempt replaced the key.
        try await withOAuthServer(sandbox.oauthConfiguration(masterKey: master), sandbox: sandbox) { server async throws in
            #expect(try await server.publishedKids().first == sealedKid)
            #expect(try await server.api.get("/admin/v1/keys").items.count == 2)
        }
    }

    @Test("SigningKeyRing on a store: sealed keys open only with their master key")
    func ringOnStore() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let master = try randomMasterKey()
        let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: quietLogger)
        do {
            let ring = try await SigningKeyRing(store: database.store, masterKey: master, algorithm: .edDSA, now: Date())
            #expect(ring.active.algorithm == .edDSA)
            let stored = try await database.store.signingKeys()
            #expect(stored.count == 1)
            #expect(stored.first?.privateKey.hasPrefix("sealed:") == true)
            let again = try await SigningKeyRing(store: database.store, masterKey: master, algorithm: .es256, now: Date())
            #expect(again.active.kid == ring.active.kid, "an existing key is loaded, never regenerated")
            await #expect(throws: StoredSigningKey.Unusable.self) {
                _ = try await SigningKeyRing(store: database.store, masterKey: try randomMasterKey(), algorithm: .es256, now: Date())
            }
            await #expect(throws: StoredSigningKey.Unusable.self) {
                _ = try await SigningKeyRing(store: database.store, masterKey: nil, algorithm: .es256, now: Date())
            }
            #expect(try await database.store.signingKeys().count == 1)

            // Rotation keeps the old key verifying; an unknown kid is not invented.
            let old = ring.active
            let new = try await ring.rotate(to: .es256, by: AuditActor(name: "test", ip: nil), now: Date())
            #expect(ring.active.kid == new.kid)
            #expect(ring.verificationKey(kid: old.kid) != nil)
            #expect(ring.published.map(\.kid) == [new.kid, old.kid])
            #expect(await ring.verificationKeyReloadingIfUnknown(kid: "no-such-kid") == nil)
            // Once the old key's publication has run out, it leaves the ring.
            try await ring.reload(now: Date().addingTimeInterval(SigningKeyRing.publicationAfterRotation + 1))
            #expect(ring.verificationKey(kid: old.kid) == nil)
            #expect(ring.published.map(\.kid) == [new.kid])
            try await database.close()
        } catch {
            try? await database.close()
            throw error
        }
    }
}
