/// A request body's schema from the admin contract: its `properties`, `required`,
/// `additionalProperties: false`, and the cross-field rules (`oneOf`, `allOf`, `if`/`then`/`else`) that
/// say which fields go together.
struct ObjectSchema {
    let raw: [String: Any]

    var properties: [String: PropertySchema] {
        (raw["properties"] as? [String: [String: Any]] ?? [:]).mapValues(PropertySchema.init(raw:))
    }

    var required: [String] { raw["required"] as? [String] ?? [] }

    /// JSON Schema 2020-12 §10.2 (`oneOf`, `allOf`, `if`/`then`/`else`) and §10.3.2 (`properties`,
    /// `additionalProperties`), with §6.5.3 `required`.
    func admits(_ body: [String: ContractJSONValue]) -> Bool {
        guard required.allSatisfy({ body[$0] != nil }) else { return false }
        let properties = properties
        for (name, value) in body {
            if let property = properties[name] {
                guard property.admits(value) else { return false }
            } else if raw["additionalProperties"] as? Bool == false {
                return false
            }
        }
        if let branches = raw["oneOf"] as? [[String: Any]] {
            guard branches.filter({ ObjectSchema(raw: $0).admits(body) }).count == 1 else { return false }
        }
        if let all = raw["allOf"] as? [[String: Any]] {
            guard all.allSatisfy({ ObjectSchema(raw: $0).admits(body) }) else { return false }
        }
        if let condition = raw["if"] as? [String: Any] {
            let branch = ObjectSchema(raw: condition).admits(body) ? raw["then"] : raw["else"]
            if let branch = branch as? [String: Any], !ObjectSchema(raw: branch).admits(body) { return false }
        }
        return true
    }

    /// The fields that must come with `field` set to `value` for the body to stand a chance,
    /// read from this schema's `if`/`then`: when `X` is `const` `V` then `Y…` are required. Setting
    /// `X` to `V` brings each `Y` at its first example; setting a `Y` to a non-null value brings
    /// `X: V`.
    func companions(of field: String, _ value: ContractJSONValue) -> [String: ContractJSONValue] {
        guard let condition = raw["if"] as? [String: Any],
              let trigger = (condition["properties"] as? [String: [String: Any]])?.first,
              let constant = trigger.value["const"].flatMap(ContractJSONValue.init(json:)),
              let needed = (raw["then"] as? [String: Any])?["required"] as? [String]
        else { return [:] }
        if field == trigger.key, value == constant {
            let properties = properties
            return Dictionary(uniqueKeysWithValues: needed.compactMap { name in
                properties[name]?.examples.first.map { (name, $0) }
            })
        }
        if needed.contains(field), value != .null {
            return [trigger.key: constant]
        }
        return [:]
    }
}
