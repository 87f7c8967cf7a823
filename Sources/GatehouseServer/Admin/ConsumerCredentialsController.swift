import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/consumer-credentials`: consumers' authentication codes and identifier + pass code
/// pairs (SPEC §1, §6). The secret is answered only by the create.
struct ConsumerCredentialsController {
    let credentials: ConsumerCredentialManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    /// `?organisation=` (id or name) and `?user=` (id) narrow the list.
    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<ConsumerCredential>> {
        let organisation = request.uri.queryParameters["organisation"].map(String.init)
        let user = request.uri.queryParameters["user"].map(String.init)
        return JSONResponse(try await credentials.list(organisation: organisation, user: user, PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<IssuedConsumerCredential> {
        let input = try await request.decodeJSONObject(ConsumerCredentialInput.self, context: context)
        let issued = try await UsersController.hashing { try await credentials.create(input, by: context.requireActor(), now: Date()) }
        return JSONResponse(.created, issued)
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<ConsumerCredential> {
        JSONResponse(try await credentials.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<ConsumerCredential> {
        let patch = try await request.decodeJSONObject(ConsumerCredentialPatch.self, context: context)
        let id = try context.parameters.require("id")
        return JSONResponse(try await credentials.update(id, with: patch, by: context.requireActor(), now: Date()))
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await credentials.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }
}
