import Hummingbird

/// `GET /admin/openapi.json`: the OpenAPI 3.1 description of the admin API (``AdminContract``).
/// Public, like Keycloak's and Hydra's published specs: it describes, it grants nothing.
struct OpenAPIController {
    func addRoutes(to router: Router<GatehouseRequestContext>) {
        router.get("admin/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: AdminContract.json))
            )
        }
    }
}
