import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON object body strictly: `application/json` only, at most the context's upload
    /// limit, UTF-8, an object, no field outside `allowedFields`, and every field of its type.
    /// Any breach is an ``AdminAPIError`` naming the field.
    func decodeJSONObject<Value: Decodable>(
        _ type: Value.Type, allowedFields: Set<String>, context: some RequestContext
    ) async throws -> Value {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw AdminAPIError(.unsupportedMediaType, "invalid_request", "Content-Type must be application/json")
        }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw AdminAPIError.invalidRequest("the body is not valid UTF-8")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw AdminAPIError.invalidRequest("the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw AdminAPIError.invalidRequest("the body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !allowedFields.contains($0) }) {
            throw AdminAPIError.invalidRequest("unknown field '\(unknown.prefix(100))'", field: String(unknown.prefix(100)))
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
