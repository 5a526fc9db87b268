import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived whole (its body to the last byte)
/// `timeout` after its headers: a client that trickles a body, however steadily, cannot
/// hold a connection and its half-read body for longer than that.
///
/// Hummingbird's idle timeout covers the rest: a connection that sends nothing for the
/// same time while no request is being answered (slow or missing headers, an idle
/// keep-alive connection) is closed by it. A body cut off this way is never appended:
/// writes collect the whole body before they reach the store's writer, and closing the
/// connection makes that collection fail.
final class RequestBodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                self?.deadline = nil
                context.close(promise: nil)
            }
        case .body:
            break
        case .end:
            cancel()
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
