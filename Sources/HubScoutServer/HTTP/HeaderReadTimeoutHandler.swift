import NIOCore
import NIOHTTPTypes

/// Closes a connection whose first request head has not fully arrived within `timeout` of the connection opening:
/// a client that sends half a request and stalls (slow loris) cannot hold a connection open.
///
/// It sits after HTTP decoding, where a head appears only once complete. Later requests on a kept-alive connection are
/// bounded by Hummingbird's idle timeout, which likewise counts only complete parts, so a stalled head is never held
/// longer than the larger of the two timeouts.
final class HeaderReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var headArrived = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headArrived, case .head = unwrapInboundIn(data) {
            headArrived = true
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headArrived else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
