/// One field of a partial update (JSON merge patch, RFC 7396 §2): absent keeps the value,
/// `null` clears it, anything else replaces it.
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

extension KeyedDecodingContainer {
    /// Decodes a field of a merge patch, telling an absent key from an explicit `null`.
    public func decodePatch<Value: Decodable & Sendable & Equatable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .keep }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try decode(type, forKey: key))
    }
}
