import Foundation
import GatehouseCore

/// Settings resolve as: command-line flag, then environment variable, then default (SPEC §2).
enum Setting {
    static func resolve(_ flag: String?, env name: String) -> String? {
        if let flag { return flag }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A whole-number setting within `range`: the flag, else the environment variable, else
    /// `fallback`; anything else is a ``ValidationError`` naming `field`.
    static func wholeNumber(_ flag: Int?, env name: String, field: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        let text = resolve(flag.map(String.init), env: name) ?? String(fallback)
        guard let value = Int(text), range.contains(value) else {
            throw ValidationError(field: field, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(text)')")
        }
        return value
    }

    /// A yes/no setting: the flag when given, else the environment variable (`1`/`true`/`yes` or
    /// `0`/`false`/`no`), else no.
    static func flag(_ flag: Bool, env name: String) throws -> Bool {
        if flag { return true }
        guard let text = resolve(nil, env: name) else { return false }
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw ValidationError(field: name, message: "must be 1, true, yes, 0, false or no (got '\(text.prefix(40))')")
        }
    }
}
