import Foundation
import GatehouseCore
import Hummingbird

/// A JSON answer with a chosen status, marked `no-store` (admin answers may hold a secret once).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status
    var value: Value
    /// The body written already, by a value that writes itself (``JSONObjectWritable``).
    private var written: [UInt8]?

    init(_ value: Value) {
        self.init(.ok, value)
    }

    init(_ status: HTTPResponse.Status, _ value: Value) {
        self.status = status
        self.value = value
    }

    /// The token and introspection answers skip the encoder (same bytes, a fraction of the cost).
    /// Chosen by overload where the type is known, not by a dynamic cast on every answer.
    init(_ value: Value) where Value: JSONObjectWritable {
        self.status = .ok
        self.value = value
        self.written = value.jsonBytes
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ByteBuffer(bytes: try written ?? Array(JSONEncoder.gatehouse.encode(value)))
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: body)
        )
    }
}
