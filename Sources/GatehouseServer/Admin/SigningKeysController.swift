import Foundation
import GatehouseCore
import Hummingbird

/// `GET /admin/v1/keys` lists signing keys (public facts only); `POST /admin/v1/keys/rotate`
/// makes a new key active now, keeping the old one published until its tokens have expired.
struct SigningKeysController {
    let keys: SigningKeyRing
    let store: any Store
    let algorithm: SigningAlgorithm

    struct KeyView: Encodable, Sendable {
        var kid: String
        var algorithm: SigningAlgorithm
        var state: SigningKeyState
        var createdAt: Date
        var retireAfter: Date?

        init(_ key: StoredSigningKey) {
            kid = key.kid
            algorithm = key.algorithm
            state = key.state
            createdAt = key.createdAt
            retireAfter = key.retireAfter
        }
    }

    struct RotateInput: JSONObjectBody {
        static let fields: Set<String> = ["algorithm"]
        static let integerFields: Set<String> = []
        var algorithm: SigningAlgorithm?
    }

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post("rotate", use: rotate)
    }

    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<[String: [KeyView]]> {
        JSONResponse(["items": try await store.allSigningKeys().map(KeyView.init)])
    }

    /// The body is optional: `{"algorithm": "RS256"}` picks another algorithm for the new key.
    @Sendable func rotate(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<KeyView> {
        var chosen = algorithm
        if request.headers[.contentType] != nil || request.headers[.contentLength].map({ $0 != "0" }) == true {
            chosen = try await request.decodeJSONObject(RotateInput.self, context: context).algorithm ?? algorithm
        }
        let key = try await keys.rotate(to: chosen, by: context.requireActor(), now: Date())
        guard let stored = try await store.allSigningKeys().first(where: { $0.kid == key.kid }) else {
            throw DomainError.notFound("signing key '\(key.kid)'")
        }
        return JSONResponse(.created, KeyView(stored))
    }
}
