import SidecarProtocol
import SidecarTestSupport
import Testing

@testable import SidecarProviders

/// Stop reasons reach the client as themselves: Anthropic's matched stop sequence, upstream reasons added
/// later (sanitised to a plain name), and an OpenAI refusal told apart from an answer. Hand-written streams
/// in the vendors' shapes.
@Suite struct StopReasonFoldingTests {
    static let key = "sk-ant-test-key-0123456789"
    let errors = UpstreamError(provider: "main", kind: "anthropic", secret: Secret(Self.key))

    func foldAnthropic(_ stream: String, stop: [String] = []) throws -> [StreamEvent] {
        var folder = AnthropicStreamFolder(errors: errors, stopSequences: stop)
        var out: [StreamEvent] = []
        for event in parseTestSSE(stream) { out += try folder.fold(event: event.event, data: event.data) }
        return out + (try folder.end())
    }

    func foldOpenAI(_ stream: String) throws -> [StreamEvent] {
        var folder = OpenAIStreamFolder(errors: errors)
        var out: [StreamEvent] = []
        for event in parseTestSSE(stream) { out += try folder.fold(event: event.event, data: event.data) }
        return out + (try folder.end())
    }

    /// An Anthropic answer with text "x" ending with `delta` as `message_delta.delta`.
    func anthropic(delta: String) -> String {
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}

        event: message_delta
        data: {"type":"message_delta","delta":\(delta),"usage":{"output_tokens":2}}

        event: message_stop
        data: {"type":"message_stop"}

        """
    }

    /// The matched sequence travels with `stop_sequence` when the request asked for it, and only then.
    @Test func stopSequenceCarriesTheMatchedSequence() throws {
        let delta = #"{"stop_reason":"stop_sequence","stop_sequence":"\n\nEND"}"#
        let matched = try foldAnthropic(anthropic(delta: delta), stop: ["DONE", "\n\nEND"])
        #expect(matched.stops == [StopReason(rawValue: "stop_sequence", stopSequence: "\n\nEND")])
        let unasked = try foldAnthropic(anthropic(delta: delta), stop: ["DONE"])
        #expect(unasked.stops == [.stopSequence])
    }

    /// A reason that is not a plain name, or that holds a piece of the key, becomes `unknown`.
    @Test(arguments: ["Pause Turn", "\u{1B}[31mred", String(repeating: "a", count: 65), key])
    func oddReasonIsSanitised(reason: String) throws {
        let delta = String(decoding: JSONValue.object(["stop_reason": .string(reason)]).encoded(), as: UTF8.self)
        #expect(try foldAnthropic(anthropic(delta: delta)).stops == [StopReason(rawValue: "unknown")])
    }

    /// The non-streaming answer gives the same reasons as the stream.
    @Test func nonStreamingAnswerKeepsReasonAndSequence() throws {
        let json = try JSONValue.parse(
            Array(
                #"{"content":[{"type":"text","text":"x"}],"stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":1,"output_tokens":1}}"#
                    .utf8))
        let response = try AnthropicProvider.response(from: json, errors: errors, stopSequences: ["END"])
        #expect(response.stopReason == StopReason(rawValue: "stop_sequence", stopSequence: "END"))
        let paused = try JSONValue.parse(Array(#"{"content":[],"stop_reason":"pause_turn"}"#.utf8))
        #expect(
            try AnthropicProvider.response(from: paused, errors: errors, stopSequences: []).stopReason == .pauseTurn)
    }

    /// OpenAI ends a refusal with `stop`; the sidecar says `refusal` and still forwards its text.
    @Test func openAIRefusalEndsWithRefusal() throws {
        let events = try foldOpenAI(
            """
            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"refusal":"I can't help with that."},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]

            """)
        #expect(events.contains(.delta(.text("I can't help with that."))))
        #expect(events.stops == [.refusal])
    }

    /// The same in a non-streaming answer (`message.refusal`); an ordinary answer still ends with end_turn.
    @Test func openAINonStreamingRefusal() throws {
        func answer(_ message: String) throws -> ProviderResponse {
            let body = #"{"choices":[{"index":0,"message":\#(message),"finish_reason":"stop"}]}"#
            return try OpenAIProvider.response(from: try JSONValue.parse(Array(body.utf8)), errors: errors)
        }
        let refused = try answer(#"{"role":"assistant","content":null,"refusal":"No."}"#)
        #expect(refused.stopReason == .refusal && refused.content == [.text("No.")])
        #expect(try answer(#"{"role":"assistant","content":"Yes.","refusal":null}"#).stopReason == .endTurn)
    }

    /// An OpenAI-compatible server's own finish reason passes by name, sanitised like Anthropic's.
    @Test func openAIUnknownFinishReason() throws {
        func finishing(_ reason: String) throws -> [StopReason] {
            let quoted = String(decoding: JSONValue.string(reason).encoded(), as: UTF8.self)
            return try foldOpenAI(
                """
                data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":\(quoted)}]}

                data: [DONE]

                """
            ).stops
        }
        #expect(try finishing("insufficient_system_resource") == [StopReason(rawValue: "insufficient_system_resource")])
        #expect(try finishing("Eos Token!") == [StopReason(rawValue: "unknown")])
    }
}
