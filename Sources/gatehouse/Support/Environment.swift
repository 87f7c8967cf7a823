import Foundation

/// Settings resolve as: command-line flag, then environment variable, then default (SPEC §2).
enum Setting {
    static func resolve(_ flag: String?, env name: String) -> String? {
        if let flag { return flag }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
