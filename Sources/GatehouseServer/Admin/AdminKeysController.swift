import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/admin-keys`: the admin API's own keys (issue 14 point 8). The key itself is in the
/// create answer only; the last usable key cannot be disabled or deleted (409).
struct AdminKeysController {
    let adminKeys: AdminKeyManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<AdminKey>> {
        JSONResponse(try await adminKeys.list(PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<IssuedAdminKey> {
        let input = try await request.decodeJSONObject(AdminKeyInput.self, context: context)
        return JSONResponse(.created, try await adminKeys.create(input, by: context.requireActor(), now: Date()))
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<AdminKey> {
        JSONResponse(try await adminKeys.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<AdminKey> {
        let patch = try await request.decodeJSONObject(AdminKeyPatch.self, context: context)
        return JSONResponse(try await adminKeys.update(context.parameters.require("id"), with: patch, by: context.requireActor(), now: Date()))
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await adminKeys.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }
}
