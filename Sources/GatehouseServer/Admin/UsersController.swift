import Foundation
import GatehouseCore
import Hummingbird

/// `/admin/v1/users`: users (resource owners, customers, API users).
struct UsersController {
    let users: UserManager

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    /// `?organisation=` narrows the list to one organisation (id or name).
    @Sendable func list(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<Page<User>> {
        let organisation = request.uri.queryParameters["organisation"].map(String.init)
        return JSONResponse(try await users.list(organisation: organisation, PageRequest(query: request)))
    }

    @Sendable func create(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<User> {
        let input = try await request.decodeJSONObject(UserInput.self, context: context)
        return JSONResponse(.created, try await Self.hashing { try await users.create(input, by: context.requireActor(), now: Date()) })
    }

    @Sendable func show(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<User> {
        JSONResponse(try await users.find(context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: GatehouseRequestContext) async throws -> JSONResponse<User> {
        let patch = try await request.decodeJSONObject(UserPatch.self, context: context)
        let id = try context.parameters.require("id")
        return JSONResponse(try await Self.hashing { try await users.update(id, with: patch, by: context.requireActor(), now: Date()) })
    }

    @Sendable func delete(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        try await users.delete(context.parameters.require("id"), by: context.requireActor(), now: Date())
        return Response(status: .noContent)
    }

    /// Runs a change that may hash a password: when the hasher's queue is full the answer is
    /// `503` with `Retry-After`, not a 500.
    static func hashing<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch is PasswordHasher.Overloaded {
            var error = AdminAPIError(.serviceUnavailable, "temporarily_unavailable", "too many password operations at once; retry shortly")
            error.headers[.retryAfter] = "1"
            throw error
        }
    }
}
