import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/orgs`: list, create, show, update, delete organisations.
struct OrganisationsController {
    let organisations: OrganisationManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<Organisation>> {
        JSONResponse(try await organisations.list(PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Organisation> {
        let input = try await request.decodeJSONObject(OrganisationInput.self, context: context)
        return JSONResponse(.created, try await organisations.create(input, by: context.requireActor(), now: Date()))
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Organisation> {
        JSONResponse(try await organisations.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Organisation> {
        let patch = try await request.decodeJSONObject(OrganisationPatch.self, context: context)
        return JSONResponse(try await organisations.update(context.parameters.require("id"), with: patch, by: context.requireActor(), now: Date()))
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await organisations.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }
}


extension GatehouseRequestContext {
    /// The authenticated admin; admin routes run only behind ``AdminAuthenticator``.
    func requireActor() throws -> AuditActor {
        guard let actor else { throw AdminAPIError.unauthorized }
        return actor
    }
}
