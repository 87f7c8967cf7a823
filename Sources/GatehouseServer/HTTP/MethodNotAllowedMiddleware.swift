@_spi(Internal) import Hummingbird
import HTTPTypes

/// RFC 9110 §15.5.6 for every route group: a request whose path the router knows but whose
/// method it does not answers 405 with `Allow`, in the error format of the group the path belongs
/// to; a path the router does not know stays 404.
///
/// Added to the router after every route, so it runs only for requests no route matched (the
/// router's not-found chain) and costs the matched ones nothing. The paths are resolved by
/// Hummingbird's own trie (its `@_spi(Internal)` builder), built from `Router.routes`: the same
/// matching (parameters, wildcards, priorities) as the router itself, with no list to keep in step.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    /// The methods of one path, and how its group renders the refusal.
    struct Entry: Sendable {
        var path: String
        var methods: Set<HTTPRequest.Method>
        var render: @Sendable (MethodNotAllowed) -> any HTTPResponseError
    }

    private let paths: RouterTrie<Entry>

    /// - Parameter formats: the error format of the routes under each path prefix (the longest
    ///   matching prefix wins; `/admin` covers `/admin/v1/orgs` but not `/administer`), and
    ///   `fallback` for the rest.
    init(routes: [Router<Context>.RouteDescription], formats: [(prefix: String, format: any ErrorFormat.Type)], fallback: any ErrorFormat.Type) {
        var methods: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            methods[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        let builder = RouterPathTrieBuilder<Entry>()
        for (description, route) in methods {
            let format = formats.filter { description == $0.prefix || description.hasPrefix($0.prefix + "/") }
                .max { $0.prefix.count < $1.prefix.count }?.format ?? fallback
            builder.addEntry(route.path, value: Entry(path: description, methods: route.methods, render: Self.renderer(format)))
        }
        paths = builder.build()
    }

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let entry = paths.resolve(request.uri.path)?.value, !entry.methods.contains(request.method) else {
            return try await next(request, context)
        }
        context.coreContext.endpointPath.value = entry.path
        let refusal = MethodNotAllowed(allowed: entry.methods)
        var response = try entry.render(refusal).response(from: request, context: context)
        response.headers[.allow] = refusal.allowField
        // RFC 9110 §9.3.2: the answer to HEAD carries no content.
        return request.method == .head ? response.createHeadResponse() : response
    }

    private static func renderer<Format: ErrorFormat>(_ format: Format.Type) -> @Sendable (MethodNotAllowed) -> any HTTPResponseError {
        { Format.methodNotAllowed($0) }
    }
}
