/// A partial-update body (RFC 7396) made of ``Patch`` fields whose JSON names are its
/// `CodingKeys`: the field set and the changed fields are derived from them, never listed by hand.
protocol MergePatch {}

extension MergePatch {
    /// A field without a "no value" state refuses `null` (RFC 7396's "remove").
    static func require<Value, Key: CodingKey>(_ patch: Patch<Value>, _ key: Key) throws {
        if patch == .clear { throw ValidationError(field: key.stringValue, message: "must not be null") }
    }

    /// The names of the fields the patch touches, in declaration order (never their values: one
    /// may be a password). Read by reflection: every stored `Patch` property is a field.
    var changedFields: [String] {
        Mirror(reflecting: self).children.compactMap { child in
            guard let field = child.value as? any PatchField, !field.isKeep else { return nil }
            return child.label
        }
    }
}

/// ``Patch`` with its value type erased, so a patch's fields can be walked.
protocol PatchField {
    var isKeep: Bool { get }
}

extension Patch: PatchField {}

extension Set<String> {
    /// The JSON names of a body type's fields: its `CodingKeys`.
    static func names<Keys: CodingKey & CaseIterable>(of keys: Keys.Type) -> Set<String> {
        Set(keys.allCases.map(\.stringValue))
    }
}
