import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as the request head arrives.
///
/// RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.1 request
/// that has a non-empty content SHOULD respond with an immediate 100 (Continue) response or a final
/// status code", and a client waits for one before it sends the body (curl for a second, other
/// clients until their timeout). Hummingbird sends neither, so this handler sits between the HTTP
/// codec and the request stream. A body over the limit is still refused once read (413).
///
/// Inbound only, so the answers' writes do not pass through it.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), Self.expectsContinue(head) {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }

    /// The expectation's value is case-insensitive (RFC 9110 §10.1.1).
    static func expectsContinue(_ head: HTTPRequest) -> Bool {
        guard let expect = head.headerFields[.expect] else { return false }
        return expect.trimmingCharacters(in: .whitespaces).lowercased() == "100-continue"
    }
}
