/// Compares header names as the most lenient upstream reads them: ASCII case-folded (RFC 9110
/// §5.1: "Field names are case-insensitive") and with `_` read as `-`, as CGI, WSGI and Rack do
/// when they turn `X_Gatehouse_Customer` and `X-Gatehouse-Customer` into the same
/// `HTTP_X_GATEHOUSE_CUSTOMER` variable (RFC 3875 §4.1.18).
public enum HeaderNameFolding {
    /// Whether `name`, folded, starts with `prefix` (given lower-case, with `-`).
    public static func name(_ name: some StringProtocol, hasFoldedPrefix prefix: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var actual = name.utf8.makeIterator()
        for byte in expected {
            guard let next = actual.next(), fold(next) == byte else { return false }
        }
        return true
    }

    /// Whether `name`, folded, is `expected` (given lower-case, with `-`).
    public static func name(_ name: some StringProtocol, foldsTo expected: StaticString) -> Bool {
        name.utf8.count == expected.utf8CodeUnitCount && self.name(name, hasFoldedPrefix: expected)
    }

    private static func fold(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
        case UInt8(ascii: "_"): UInt8(ascii: "-")
        default: byte
        }
    }
}
