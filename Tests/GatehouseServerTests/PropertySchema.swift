import Foundation

/// One property's JSON Schema (2020-12, as OpenAPI 3.1 uses it) from the admin contract, read for
/// the keywords the admin request bodies use: `type`, `enum`, `const`, `minLength`, `maxLength`,
/// `pattern`, `format`, `minimum`, `maximum`, `maxItems`, `items` and `examples`.
///
/// It does two things: ``boundaryValues`` lists the values at and just past each declared limit,
/// and ``admits(_:)`` says whether the schema admits a value. Together they predict the server's
/// answer to each boundary request without a single limit written in the test.
struct PropertySchema {
    let raw: [String: Any]

    var types: Set<String> {
        if let one = raw["type"] as? String { return [one] }
        return Set(raw["type"] as? [String] ?? [])
    }

    var enumeration: [ContractJSONValue]? { (raw["enum"] as? [Any])?.compactMap(ContractJSONValue.init(json:)) }
    var examples: [ContractJSONValue] { (raw["examples"] as? [Any] ?? []).compactMap(ContractJSONValue.init(json:)) }
    var minLength: Int? { raw["minLength"] as? Int }
    var maxLength: Int? { raw["maxLength"] as? Int }
    var pattern: String? { raw["pattern"] as? String }
    var format: String? { raw["format"] as? String }
    var minimum: Int? { raw["minimum"] as? Int }
    var maximum: Int? { raw["maximum"] as? Int }
    var maxItems: Int? { raw["maxItems"] as? Int }
    var items: PropertySchema? { (raw["items"] as? [String: Any]).map(PropertySchema.init(raw:)) }

    // MARK: Whether the schema admits a value

    /// JSON Schema validation (2020-12 §6) of the keywords above; `format` is an annotation only
    /// (§7.2.1), as in the default vocabulary.
    func admits(_ value: ContractJSONValue) -> Bool {
        if let enumeration, !enumeration.contains(value) { return false }
        if let constant = raw["const"].flatMap(ContractJSONValue.init(json:)), constant != value { return false }
        switch value {
        case .null: return allows("null")
        case .bool: return allows("boolean")
        case .int(let number):
            guard allows("integer") || allows("number") else { return false }
            return number >= (minimum ?? .min) && number <= (maximum ?? .max)
        case .double: return allows("number")
        case .string(let text):
            // §6.3: lengths count code points; §6.3.3: the pattern is searched for, not anchored.
            let length = text.unicodeScalars.count
            guard allows("string"), length >= (minLength ?? 0), length <= (maxLength ?? .max) else { return false }
            guard let pattern else { return true }
            let expression = try! NSRegularExpression(pattern: pattern)
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .array(let elements):
            guard allows("array"), elements.count <= (maxItems ?? .max) else { return false }
            return elements.allSatisfy { items?.admits($0) ?? true }
        case .object: return allows("object")
        }
    }

    /// §6.1.1: without `type`, every type is allowed.
    private func allows(_ type: String) -> Bool {
        raw["type"] == nil || types.contains(type)
    }

    // MARK: The values at and just past each limit

    /// The values at and just past every limit the schema declares, its examples, `null`, and
    /// one value of each JSON type it does not allow.
    var boundaryValues: [(value: ContractJSONValue, why: String)] {
        var values = examples.map { (value: $0, why: "example") }
        values.append((.null, "null"))
        values += wrongTypes
        if types.contains("string") { values += stringBoundaries }
        if types.contains("integer") { values += integerBoundaries }
        if types.contains("boolean") { values += [(.bool(true), "true"), (.bool(false), "false")] }
        if types.contains("array") { values += arrayBoundaries }
        return values
    }

    private var wrongTypes: [(value: ContractJSONValue, why: String)] {
        var values: [(value: ContractJSONValue, why: String)] = [(.object(["x": .int(1)]), "an object")]
        if !types.contains("string") { values.append((.string("1"), "a string")) }
        if !types.contains("integer") { values.append((.int(7), "an integer")) }
        if !types.contains("number") { values.append((.double(1.5), "a fraction")) }
        if !types.contains("boolean") { values.append((.bool(true), "a boolean")) }
        if !types.contains("array") { values.append((.array([.string("x")]), "an array")) }
        return values
    }

    /// A string of `length` code points: the first example, cut or padded with `a`.
    func filled(_ length: Int) -> String {
        guard case .string(let seed)? = examples.first else { return String(repeating: "a", count: length) }
        let scalars = Array(seed.unicodeScalars)
        if scalars.count >= length { return String(String.UnicodeScalarView(scalars.prefix(length))) }
        return seed + String(repeating: "a", count: length - scalars.count)
    }

    private var stringBoundaries: [(value: ContractJSONValue, why: String)] {
        var values: [(value: ContractJSONValue, why: String)] = []
        if let enumeration {
            values += enumeration.map { ($0, "enum member") }
            values.append((.string("not-a-member"), "not an enum member"))
        }
        if let maxLength {
            values.append((.string(filled(maxLength)), "maxLength"))
            values.append((.string(filled(maxLength + 1)), "maxLength + 1"))
            if format == nil && enumeration == nil {
                // A control character inside an otherwise valid value: the pattern decides.
                var text = filled(min(maxLength, max(minLength ?? 1, 3)))
                text.insert("\u{7}", at: text.index(after: text.startIndex))
                values.append((.string(String(text.unicodeScalars.prefix(maxLength))), "a control character"))
                // One past the limit in code points (what JSON Schema counts), at it in characters.
                values.append((.string(filled(maxLength - 1) + "e\u{301}"), "maxLength + 1 code points"))
            }
        }
        if let minLength, minLength > 0 {
            values.append((.string(filled(minLength - 1)), "minLength - 1"))
        }
        return values
    }

    private var integerBoundaries: [(value: ContractJSONValue, why: String)] {
        var values: [(value: ContractJSONValue, why: String)] = [(.double(1.5), "a fraction")]
        if let minimum { values += [(.int(minimum - 1), "minimum - 1"), (.int(minimum), "minimum")] }
        if let maximum { values += [(.int(maximum), "maximum"), (.int(maximum + 1), "maximum + 1")] }
        return values
    }

    /// Arrays at and past `maxItems` built from the item's first example (or first enum member, or
    /// an item at its `maxLength`), and each boundary value of the item as a one-item array.
    private var arrayBoundaries: [(value: ContractJSONValue, why: String)] {
        guard let items else { return [] }
        var values: [(value: ContractJSONValue, why: String)] = [(.array([]), "empty")]
        values += items.boundaryValues.map { (.array([$0.value]), "[item: \($0.why)]") }
        let item = items.examples.first ?? items.enumeration?.first ?? items.maxLength.map { .string(items.filled($0)) }
        if let maxItems, let item {
            values.append((.array(Array(repeating: item, count: maxItems)), "maxItems"))
            values.append((.array(Array(repeating: item, count: maxItems + 1)), "maxItems + 1"))
        }
        return values
    }
}
