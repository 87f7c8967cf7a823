import Foundation
import GatehouseCore
import Hummingbird
import NIOCore

/// A request body that is one JSON object with a known set of fields.
protocol JSONObjectBody: Decodable {
    /// Every field the object may have; any other is refused.
    static var fields: Set<String> { get }
    /// Fields that must be whole numbers (Foundation reports `1.5` for an `Int` without its key).
    static var integerFields: Set<String> { get }
}

extension Request {
    /// Decodes a JSON object body strictly: `application/json` only, at most the context's upload
    /// limit, UTF-8, an object, no unknown field, and every field of its type.
    /// Any breach is an ``AdminAPIError`` naming the field.
    func decodeJSONObject<Value: JSONObjectBody>(_ type: Value.Type, context: some RequestContext) async throws -> Value {
        guard headers.mediaType == "application/json" else {
            throw AdminAPIError(.unsupportedMediaType, "invalid_request", "Content-Type must be application/json")
        }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw AdminAPIError.invalidRequest("the body is not valid UTF-8")
        }
        let object: Any
        do throws(StrictJSON.Invalid) {
            object = try StrictJSON.parse(data)
        } catch {
            throw AdminAPIError.invalidRequest(error.message)
        }
        guard let fields = object as? [String: Any] else { throw AdminAPIError.invalidRequest("the body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !Value.fields.contains($0) }) {
            throw AdminAPIError.invalidRequest("unknown field '\(unknown.prefix(100))'", field: String(unknown.prefix(100)))
        }
        for field in Value.integerFields.sorted() {
            if let number = fields[field] as? NSNumber, Int(exactly: number.doubleValue) == nil || "\(number)".contains(".") {
                throw AdminAPIError.invalidRequest("\(field) must be an integer", field: field)
            }
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            throw error.adminAPIError
        }
    }
}

extension DecodingError {
    /// The decoding failure as a 400 that names the offending field.
    var adminAPIError: AdminAPIError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch self {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalidRequest("\(field) is required", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalidRequest("\(field) must be \(Self.describe(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidRequest("\(field) must be \(Self.describe(type)), not null", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalidRequest(field.isEmpty ? "the body is not valid JSON" : "\(field) has an invalid value", field: field.isEmpty ? nil : field)
        @unknown default:
            return .invalidRequest("the body could not be decoded")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is [String].Type, is [Any].Type: "an array of strings"
        default: "of the right type"
        }
    }
}
