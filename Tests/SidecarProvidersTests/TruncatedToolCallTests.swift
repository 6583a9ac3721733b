import SidecarProtocol
import Testing

@testable import SidecarProviders
@testable import SidecarRegistry

/// A tool call cut off by `max_tokens`, served over loopback HTTP as hand-written event streams, folds to an
/// incomplete `done.content` block (`input: null`, the raw text in `partial_json`), never to a runnable call.
@Suite struct TruncatedToolCallTests {
    static let cutArguments = #"{"path": "notes.txt", "lines": ["one", "tw"#

    static let anthropic = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"write_file","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"path\\": \\"notes.txt\\", "}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\"lines\\": [\\"one\\", \\"tw"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":20}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    static let openAI = """
        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write_file","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\": \\"notes.txt\\", "}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"lines\\": [\\"one\\", \\"tw"}}]},"finish_reason":"length"}]}

        data: [DONE]


        """

    @Test(arguments: Kind.allCases)
    func cutToolCallIsIncomplete(kind: Kind) async throws {
        let harness = try Harness()
        let body = kind == .anthropic ? Self.anthropic : Self.openAI
        harness.upstream.enqueue(
            .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body), for: [kind.endpoint])
        let (events, error) = await collect(try harness.provider(kind).stream(request()))
        #expect(error == nil)
        #expect(events.stops == [.maxTokens])
        var accumulator = ContentAccumulator()
        for case .delta(let delta) in events { accumulator.add(delta) }
        let id = kind == .anthropic ? "toolu_1" : "call_1"
        #expect(
            accumulator.content == [.incompleteToolUse(id: id, name: "write_file", partialJSON: Self.cutArguments)])
        #expect(accumulator.content.first?.json["input"] == .null)
        #expect(accumulator.content.first?.json["incomplete"] == true)
    }
}
