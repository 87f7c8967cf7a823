import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/apikeys`: API keys of applications and users. The key itself is in the create
/// answer only.
struct APIKeysController {
    let apiKeys: APIKeyManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    /// `?organisation=` narrows the list to one organisation (id or name).
    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<APIKey>> {
        let organisation = request.uri.queryParameters["organisation"].map(String.init)
        return JSONResponse(try await apiKeys.list(organisation: organisation, PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<IssuedAPIKey> {
        let input = try await request.decodeJSONObject(APIKeyInput.self, context: context)
        return JSONResponse(.created, try await apiKeys.create(input, by: context.requireActor(), now: Date()))
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<APIKey> {
        JSONResponse(try await apiKeys.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<APIKey> {
        let patch = try await request.decodeJSONObject(APIKeyPatch.self, context: context)
        return JSONResponse(try await apiKeys.update(context.parameters.require("id"), with: patch, by: context.requireActor(), now: Date()))
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await apiKeys.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }
}
