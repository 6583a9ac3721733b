import SidecarProtocol
import SidecarTestSupport
import Testing

@testable import SidecarProviders

/// Content already inside `message_start` (a programmatic tool calling continuation, like transcript a20) is
/// folded as if streamed. The fixtures are hand-written event streams in that shape.
@Suite struct MessageStartContentTests {
    /// Folds a whole event-stream text; returns the events and the error that stopped folding, if any.
    func fold(_ stream: String) -> ([StreamEvent], ProviderFailure?) {
        var folder = AnthropicStreamFolder(
            errors: UpstreamError(provider: "main", kind: "anthropic", secret: Secret("sk-ant-test-key")),
            stopSequences: [])
        var out: [StreamEvent] = []
        do {
            for event in parseTestSSE(stream) { out += try folder.fold(event: event.event, data: event.data) }
            out += try folder.end()
            return (out, nil)
        } catch {
            return (out, error as? ProviderFailure)
        }
    }

    /// `message_start` whose message holds `content` and `stop_reason`, then whatever `rest` says.
    func stream(content: String, stopReason: String = "\"tool_use\"", rest: String = messageStop) -> String {
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude","content":\(content),"stop_reason":\(stopReason),"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}

        \(rest)
        """
    }

    static let messageStop = """
        event: message_stop
        data: {"type":"message_stop"}

        """

    static let rollDie = #"{"type":"tool_use","id":"toolu_9","name":"rollDie","input":{"player":"player2"}}"#

    /// Text and a whole tool call in message_start come out in order, with its stop reason.
    @Test func foldsBlocksAndStopReason() {
        let (events, error) = fold(stream(content: #"[{"type":"text","text":"Rolling."},\#(Self.rollDie)]"#))
        #expect(error == nil)
        #expect(
            events == [
                .delta(.text("Rolling.")), .usage(Usage(inputTokens: 0, outputTokens: 0)),
                .delta(.toolUse(index: 1, toolUseID: "toolu_9", name: "rollDie")),
                .delta(.toolInput(index: 1, partialJSON: #"{"player":"player2"}"#)), .stop(.toolUse),
            ])
    }

    /// Blocks streamed after message_start continue its content; message_delta's stop reason wins.
    @Test func laterEventsContinueAndOverride() {
        let rest = """
            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":5}}

            \(Self.messageStop)
            """
        let (events, error) = fold(stream(content: "[\(Self.rollDie)]", rest: rest))
        #expect(error == nil)
        #expect(events.deltas.first == .toolUse(index: 0, toolUseID: "toolu_9", name: "rollDie"))
        #expect(events.deltas.last == .text("Done."))
        #expect(events.stops == [.maxTokens])
    }

    /// A stop reason in message_start does not make a body that ends without message_stop complete.
    @Test func bodyCutAfterMessageStartIsTruncated() {
        let (_, error) = fold(stream(content: "[\(Self.rollDie)]", rest: ""))
        #expect(error?.failureClass == .transient)
        #expect(error?.message.contains("stream ended before message_stop") == true)
    }
}
