import NIOHTTP1

/// A body the client framed wrongly: a bad chunk size, a body cut short, a transfer coding other
/// than `chunked` (RFC 9112 §6–§7). NIO's parser finds it while the handler reads the body, and
/// the error surfaces there; it is the client's, so every endpoint answers 400 in its own format.
enum MalformedBody {
    static let message = "the request body is malformed (HTTP/1.1 message framing)"

    static func isMalformedBody(_ error: any Error) -> Bool {
        error is HTTPParserError
    }
}
