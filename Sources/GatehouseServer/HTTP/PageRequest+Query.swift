import GatehouseCore
import Hummingbird

extension PageRequest {
    /// Reads `pageIndex`, `pageSize` and `keywords` from the query; a bad value is a 400.
    init(query: Request) throws {
        let parameters = query.uri.queryParameters
        func integer(_ name: String, default value: Int) throws -> Int {
            guard let text = parameters[name[...]] else { return value }
            guard let number = Int(text) else { throw ValidationError(field: name, message: "must be an integer") }
            return number
        }
        try self.init(
            pageIndex: try integer("pageIndex", default: 1),
            pageSize: try integer("pageSize", default: 25),
            keywords: parameters["keywords"].map(String.init)
        )
    }
}
