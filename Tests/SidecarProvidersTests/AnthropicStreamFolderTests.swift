import SidecarProtocol
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "main", kind: "anthropic", secret: Secret("sk-ant-test-key"))

/// Folds `(event, data)` pairs; returns the events and the error that stopped folding, if any.
private func fold(_ events: [(String, String)], end: Bool = true) -> ([StreamEvent], ProviderFailure?) {
    var folder = AnthropicStreamFolder(errors: errors, stopSequences: [])
    var out: [StreamEvent] = []
    do {
        for (name, data) in events { out += try folder.fold(event: name, data: data) }
        if end { out += try folder.end() }
        return (out, nil)
    } catch {
        return (out, error as? ProviderFailure)
    }
}

private let messageStart = (
    "message_start",
    #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1,"cache_creation_input_tokens":7,"cache_read_input_tokens":3}}}"#
)
private let ping = ("ping", #"{"type":"ping"}"#)
private func textStart(_ i: Int) -> (String, String) {
    ("content_block_start", #"{"type":"content_block_start","index":\#(i),"content_block":{"type":"text","text":""}}"#)
}
private func textDelta(_ i: Int, _ text: String) -> (String, String) {
    (
        "content_block_delta",
        #"{"type":"content_block_delta","index":\#(i),"delta":{"type":"text_delta","text":"\#(text)"}}"#
    )
}
private func blockStop(_ i: Int) -> (String, String) {
    ("content_block_stop", #"{"type":"content_block_stop","index":\#(i)}"#)
}
private func messageDelta(_ reason: String, usage: String = #"{"output_tokens":15}"#) -> (String, String) {
    (
        "message_delta",
        #"{"type":"message_delta","delta":{"stop_reason":"\#(reason)","stop_sequence":null},"usage":\#(usage)}"#
    )
}
private let messageStop = ("message_stop", #"{"type":"message_stop"}"#)

@Suite struct AnthropicStreamFolderTests {
    /// A plain text stream yields its text, cumulative usage (merged field by field) and one stop.
    @Test func foldsTextStreamWithMergedUsage() {
        let (events, error) = fold([
            messageStart, ping, textStart(0), textDelta(0, "Hel"), ping, textDelta(0, "lo"),
            blockStop(0), messageDelta("end_turn"), messageStop,
        ])
        #expect(error == nil)
        let start = Usage(inputTokens: 25, outputTokens: 1, cacheReadTokens: 3, cacheWriteTokens: 7)
        let final = Usage(inputTokens: 25, outputTokens: 15, cacheReadTokens: 3, cacheWriteTokens: 7)
        #expect(events == [.delta(.text("Hel")), .usage(start), .delta(.text("lo")), .usage(final), .stop(.endTurn)])
    }

    /// message_start, ping and an empty content_block_start produce nothing: no event before content.
    @Test func preambleYieldsNothing() {
        let (events, _) = fold([messageStart, ping, textStart(0)], end: false)
        #expect(events.isEmpty)
    }

    /// Unknown event types are ignored; content positions count the thinking block.
    @Test func ignoresUnknownEvents() {
        let (events, error) = fold([
            messageStart,
            (
                "content_block_start",
                #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"x"}}"#
            ),
            blockStop(0),
            ("future_event", #"{"type":"future_event","whatever":[1,2]}"#),
            textStart(1), textDelta(1, "ok"), blockStop(1),
            (
                "content_block_start",
                #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get","input":{}}}"#
            ),
            messageDelta("tool_use"), messageStop,
        ])
        #expect(error == nil)
        #expect(events.contains(.delta(.thinking("hmm"))))
        #expect(events.contains(.delta(.text("ok"))))
        #expect(events.contains(.delta(.toolUse(index: 2, toolUseID: "toolu_1", name: "get"))))
        #expect(events.last == .stop(.toolUse))
    }

    /// Tool use: block indexes map to content positions, and partial JSON is forwarded fragment by fragment.
    @Test func foldsToolUseWithPartialJSON() {
        let (events, error) = fold([
            messageStart, textStart(0), textDelta(0, "Let me check."), blockStop(0),
            (
                "content_block_start",
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"loc"}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ation\": \"Paris\"}"}}"#
            ),
            blockStop(1), messageDelta("tool_use"), messageStop,
        ])
        #expect(error == nil)
        let deltas = events.compactMap { if case .delta(let d) = $0 { d } else { nil } }
        #expect(
            deltas == [
                .text("Let me check."), .toolUse(index: 1, toolUseID: "toolu_01", name: "get_weather"),
                .toolInput(index: 1, partialJSON: #"{"loc"#), .toolInput(index: 1, partialJSON: #"ation": "Paris"}"#),
            ])
        #expect(events.last == .stop(.toolUse))
    }

    /// A backend that reports usage only in message_delta still gives exact usage.
    @Test func usageOnlyInMessageDelta() {
        let start = ("message_start", #"{"type":"message_start","message":{"id":"m","role":"assistant","content":[]}}"#)
        let (events, _) = fold([
            start, textStart(0), textDelta(0, "x"),
            messageDelta("end_turn", usage: #"{"input_tokens":12,"output_tokens":4}"#), messageStop,
        ])
        #expect(events == [.delta(.text("x")), .usage(Usage(inputTokens: 12, outputTokens: 4)), .stop(.endTurn)])
    }

    /// No usage anywhere: the final usage says it was not reported instead of claiming zero tokens.
    @Test func noUsageIsUnreported() {
        let start = ("message_start", #"{"type":"message_start","message":{"id":"m","role":"assistant","content":[]}}"#)
        let (events, _) = fold([
            start, textStart(0), textDelta(0, "x"), messageDelta("end_turn", usage: "null"), messageStop,
        ])
        #expect(events == [.delta(.text("x")), .usage(.unreported), .stop(.endTurn)])
        #expect(Usage.unreported.reported == false)
    }

    /// Every stop reason reaches the client as itself, one added after this code was written included.
    @Test(arguments: [
        ("end_turn", StopReason.endTurn), ("max_tokens", .maxTokens), ("stop_sequence", .stopSequence),
        ("tool_use", .toolUse), ("refusal", .refusal), ("pause_turn", .pauseTurn), ("compaction", .compaction),
        ("model_context_window_exceeded", .modelContextWindowExceeded),
        ("brand_new_reason", StopReason(rawValue: "brand_new_reason")),
    ])
    func keepsStopReasons(raw: String, expected: StopReason) {
        let (events, error) = fold([messageStart, textStart(0), textDelta(0, "x"), messageDelta(raw), messageStop])
        #expect(error == nil)
        #expect(events.stops == [expected])
    }

    /// An overloaded_error event before content fails with class overloaded and nothing yielded.
    @Test func errorEventBeforeContent() {
        let (events, error) = fold([
            messageStart, ping,
            ("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
        ])
        #expect(events.isEmpty)
        #expect(error?.failureClass == .overloaded)
        #expect(error?.message.contains("Overloaded") == true)
        #expect(error?.message.contains("anthropic provider \"main\"") == true)
    }

    /// An error event after content still throws (the registry reports upstream_interrupted); usage was yielded.
    @Test func errorEventAfterContent() {
        let (events, error) = fold([
            messageStart, textStart(0), textDelta(0, "partial"),
            ("error", #"{"type":"error","error":{"type":"api_error","message":"Internal"}}"#),
        ])
        #expect(events.first == .delta(.text("partial")))
        #expect(events.contains { if case .usage = $0 { true } else { false } })
        #expect(error?.failureClass == .transient)
    }

    /// A body that ends before message_delta/message_stop was cut short.
    @Test func truncatedStreamThrows() {
        let (_, error) = fold([messageStart, textStart(0), textDelta(0, "x")])
        #expect(error?.failureClass == .transient)
        let (events, lenient) = fold([messageStart, textStart(0), textDelta(0, "x"), messageDelta("end_turn")])
        #expect(lenient == nil)
        #expect(events.last == .stop(.endTurn))
    }

    /// Data that is not JSON is a malformed response, not a crash.
    @Test func malformedDataThrows() {
        let (_, error) = fold([("content_block_delta", "{not json")])
        #expect(error?.failureClass == .transient)
    }
}
