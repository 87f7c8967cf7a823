import GatehouseCore

/// The fields `--clear` may name for one resource: an enum whose raw values are the JSON names.
protocol ClearableField: RawRepresentable<String>, CaseIterable {}

extension ClearableField {
    /// Each name given to `--clear` as a field; any other name is refused with the list of fields.
    static func parse(_ names: [String]) throws -> [Self] {
        try names.map { name in
            guard let field = Self(rawValue: name) else {
                let fields = allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(field: "clear", message: "'\(name)' cannot be cleared (one of \(fields))")
            }
            return field
        }
    }
}
