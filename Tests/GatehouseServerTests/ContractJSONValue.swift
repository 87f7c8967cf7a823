import Foundation

/// A JSON value the contract tests build and send, typed so a Swift `Int` never passes for a
/// `Bool` (as Foundation's `NSNumber` bridging would let it).
indirect enum ContractJSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ContractJSONValue])
    case object([String: ContractJSONValue])

    /// A value as `JSONSerialization` reads it from the document (`examples`, `enum`, `const`).
    /// The contract's examples, enums and consts are strings, integers and null: a JSON boolean
    /// there would read as the integer 0 or 1 (Foundation on Linux cannot tell them apart).
    init?(json: Any) {
        switch json {
        case is NSNull: self = .null
        case let string as String: self = .string(string)
        case let number as NSNumber:
            if let int = Int(exactly: number.doubleValue), !"\(number)".contains(".") {
                self = .int(int)
            } else {
                self = .double(number.doubleValue)
            }
        case let array as [Any]:
            let elements = array.compactMap(ContractJSONValue.init(json:))
            guard elements.count == array.count else { return nil }
            self = .array(elements)
        case let object as [String: Any]:
            self = .object(object.compactMapValues(ContractJSONValue.init(json:)))
        default: return nil
        }
    }

    /// The value for `JSONSerialization` (`NSNull` for null).
    var foundation: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .int(let value): value
        case .double(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.foundation)
        case .object(let fields): fields.mapValues(\.foundation)
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value) where value.count > 24: "\"\(value.prefix(12))…\" (\(value.unicodeScalars.count) characters)"
        case .string(let value): "\(value.debugDescription)"
        case .array(let values) where values.count > 3: "[\(values[0]), … (\(values.count) items)]"
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object: "{…}"
        }
    }
}
