/// An optional field that is always present in the JSON, as `null` when it holds nothing
/// (SPEC §6: the admin API's objects show every field, e.g. `"description": null`).
///
/// Synthesised `Encodable` skips a nil optional (`encodeIfPresent`); wrapping the property makes it
/// a non-optional value whose own `encode(to:)` writes `null`, so a model keeps its synthesised
/// conformance, its `String?` property and its memberwise initialiser, and the output stays what
/// the hand-written `encode(to:)`s wrote. A wrapper rather than a container helper: the helper
/// would need a hand-written `encode(to:)` again, which is what this removes.
@propertyWrapper
public struct AlwaysEncoded<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension AlwaysEncoded: Sendable where Value: Sendable {}
extension AlwaysEncoded: Equatable where Value: Equatable {}

extension AlwaysEncoded: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension AlwaysEncoded: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// An absent key decodes as nil, as it did before the field was wrapped.
    public func decode<Value: Decodable>(_ type: AlwaysEncoded<Value>.Type, forKey key: Key) throws -> AlwaysEncoded<Value> {
        AlwaysEncoded(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}
