import GatehouseCore
import Hummingbird

/// `GET /admin/v1/audit`: the audit log, newest first. It is append-only: no other verbs.
struct AuditController {
    let store: any Store

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
    }

    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<AuditEvent>> {
        JSONResponse(try await store.auditEvents(PageRequest(query: request)))
    }
}
