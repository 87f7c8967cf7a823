import Foundation
import GatehouseCore
import Hummingbird

/// A JSON answer with a chosen status, marked `no-store` (admin answers may hold a secret once).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status
    var value: Value

    init(_ value: Value) {
        self.status = .ok
        self.value = value
    }

    init(_ status: HTTPResponse.Status, _ value: Value) {
        self.status = status
        self.value = value
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // The token and introspection answers skip the encoder (same bytes, a fraction of the cost).
        let body = if let writable = value as? any JSONObjectWritable { ByteBuffer(bytes: writable.jsonBytes) } else {
            ByteBuffer(bytes: try JSONEncoder.gatehouse.encode(value))
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: body)
        )
    }
}
