/// One field of a partial update (JSON merge patch, RFC 7396 §2): absent keeps the value,
/// `null` clears it, anything else replaces it.
///
/// "If the provided merge patch contains members that do not appear within the target, those
/// members are added. If the target does contain the member, the value is replaced. Null values
/// in the merge patch are given special meaning to indicate the removal of existing values in the
/// target." (RFC 7396 §1)
///
/// A patch type declares its fields as `Patch<Value>` properties and lets the compiler synthesise
/// `init(from:)`: the synthesised decoder calls `decode(_:forKey:)` for each non-optional
/// property, and the overload below (more specific than the generic one) answers `.keep` for an
/// absent key.
public enum Patch<Value: Sendable & Equatable>: Sendable, Equatable {
    case keep
    case clear
    case set(Value)

    /// The value after applying this patch to `current`.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .keep: current
        case .clear: nil
        case .set(let value): value
        }
    }

    /// Whether the patch changes anything at all.
    public var isKeep: Bool { self == .keep }
}

/// A present member: `null` clears, any other value replaces.
extension Patch: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .clear : .set(try container.decode(Value.self))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a field of a merge patch, telling an absent key (`.keep`) from an explicit `null`
    /// (`.clear`). Chosen by synthesised `init(from:)`s over the generic `decode(_:forKey:)`.
    public func decode<Value: Decodable>(_ type: Patch<Value>.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .keep }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try decode(Value.self, forKey: key))
    }
}
