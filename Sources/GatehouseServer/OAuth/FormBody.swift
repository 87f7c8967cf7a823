import Foundation
import GatehouseCore
import Hummingbird
import NIOCore

/// `application/x-www-form-urlencoded` bodies of the OAuth endpoints (RFC 6749 §3.2, §4.1.3).
enum FormBody {
    /// The parameters of the body; refuses another content type, a body over the limit, bytes that
    /// are not UTF-8, bad percent-encoding and any parameter given twice — all `invalid_request`.
    static func parameters(of request: Request, context: some RequestContext) async throws -> [String: String] {
        guard request.headers.mediaType == "application/x-www-form-urlencoded" else {
            throw OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw OAuthError.invalidRequest("the body is not valid UTF-8")
        }
        return try parse(text)
    }

    static func parse(_ text: String) throws -> [String: String] {
        var text = text
        return try text.withUTF8 { try parse(utf8: $0) }
    }

    /// Splits on bytes, never Characters: grapheme breaking over a 700-byte token was an eighth of
    /// an introspection's CPU. `&` and `=` are ASCII, so every cut is a character boundary.
    private static func parse(utf8 body: UnsafeBufferPointer<UInt8>) throws -> [String: String] {
        var parameters: [String: String] = [:]
        var start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: UInt8(ascii: "&")) ?? body.endIndex
            defer { start = end + 1 }
            guard end > start else { continue }
            let pair = body[start..<end]
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? end
            guard let name = decode(bytes: pair[..<equals]), let value = decode(bytes: pair[min(equals + 1, end)...]) else {
                throw OAuthError.invalidRequest("the body is not valid form encoding")
            }
            guard !name.isEmpty else { continue }
            guard parameters[name] == nil else {
                throw OAuthError.invalidRequest("parameter '\(name.prefix(100))' is given more than once")
            }
            parameters[name] = value
        }
        return parameters
    }

    /// `+` is a space and `%XX` a byte (HTML's form encoding); `nil` for a `%` not followed by two
    /// hex digits or for bytes that are not UTF-8 once decoded.
    static func decode(_ component: Substring) -> String? {
        var component = component
        return component.withUTF8 { decode(bytes: $0[...]) }
    }

    private static func decode(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        // Most components have neither `+` nor `%`: they are the bytes as they are.
        guard bytes.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = hexDigitValue(bytes[index + 1]), let low = hexDigitValue(bytes[index + 2]) else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            case let byte:
                decoded.append(byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }
}
