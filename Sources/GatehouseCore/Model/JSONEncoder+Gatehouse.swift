import Foundation

extension JSONEncoder {
    /// The encoder of every JSON answer (admin API, CLI `--json`): RFC 3339 dates, sorted keys.
    public static var gatehouse: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
