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
}
