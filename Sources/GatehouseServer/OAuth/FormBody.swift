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
        var parameters: [String: String] = [:]
        // Split the bytes, not Characters: grapheme breaking over a 700-byte token was an eighth of
        // an introspection request's CPU. '&' and '=' are ASCII, so every cut is a character boundary.
        for pair in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).map { Substring($0) }
            guard let name = decode(parts[0]), let value = decode(parts.count == 2 ? parts[1] : "") else {
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

    /// `+` is a space and `%XX` a byte (HTML's form encoding); most components have neither.
    static func decode(_ component: Substring) -> String? {
        guard component.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(component) }
        return component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
