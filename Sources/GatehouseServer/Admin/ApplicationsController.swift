import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/apps`: applications, and `POST /apps/{id}/secret` to regenerate a secret.
struct ApplicationsController {
    let applications: ApplicationManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/secret", use: regenerateSecret)
    }

    /// `?organisation=` narrows the list to one organisation (id or name).
    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<GatehouseCore.Application>> {
        let organisation = request.uri.queryParameters["organisation"].map(String.init)
        return JSONResponse(try await applications.list(organisation: organisation, PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<IssuedApplication> {
        let input = try await request.decodeJSONObject(ApplicationInput.self, context: context)
        return JSONResponse(.created, try await applications.create(input, by: context.requireActor(), now: Date()))
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<GatehouseCore.Application> {
        JSONResponse(try await applications.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<GatehouseCore.Application> {
        let patch = try await request.decodeJSONObject(ApplicationPatch.self, context: context)
        return JSONResponse(try await applications.update(context.parameters.require("id"), with: patch, by: context.requireActor(), now: Date()))
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await applications.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }

    /// Answers `{"clientId", "clientSecret"}`; the old secret stops working at once.
    @Sendable func regenerateSecret(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<RegeneratedSecret> {
        let issued = try await applications.regenerateSecret(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return JSONResponse(RegeneratedSecret(clientId: issued.application.clientId, clientSecret: issued.clientSecret))
    }
}

struct RegeneratedSecret: Encodable, Sendable {
    var clientId: String
    var clientSecret: String
}
