import SidecarProtocol
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "main", kind: "anthropic", secret: Secret("sk-ant-test-key"))

/// The deltas an Anthropic stream of `(event, data)` pairs folds to.
private func anthropicDeltas(_ events: [(String, String)]) throws -> [Delta] {
    var folder = AnthropicStreamFolder(errors: errors, stopSequences: [])
    var out: [StreamEvent] = []
    for (name, data) in events { out += try folder.fold(event: name, data: data) }
    out += try folder.end()
    return out.compactMap { if case .delta(let delta) = $0 { delta } else { nil } }
}

private func event(_ type: String, _ body: String) -> (String, String) {
    (type, #"{"type":"\#(type)",\#(body)}"#)
}
private func start(_ i: Int, _ block: String) -> (String, String) {
    event("content_block_start", #""index":\#(i),"content_block":\#(block)"#)
}
private func delta(_ i: Int, _ delta: String) -> (String, String) {
    event("content_block_delta", #""index":\#(i),"delta":\#(delta)"#)
}
private let messageStart = event(
    "message_start", #""message":{"id":"m","role":"assistant","content":[],"usage":{"input_tokens":5}}"#)
private let end = [
    event("message_delta", #""delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}"#),
    event("message_stop", #""x":0"#),
]

@Suite struct ThinkingFoldingTests {
    /// A signed thinking block, a redacted one, text and a tool call: each becomes its deltas in order, the
    /// tool call numbered by its position among the blocks the client sees.
    @Test func anthropicThinkingRedactedTextAndTool() throws {
        let deltas = try anthropicDeltas(
            [
                messageStart,
                start(0, #"{"type":"thinking","thinking":"","signature":""}"#),
                delta(0, #"{"type":"thinking_delta","thinking":"Let me "}"#),
                delta(0, #"{"type":"thinking_delta","thinking":"think: é 😀"}"#),
                delta(0, #"{"type":"signature_delta","signature":"sig-A=="}"#),
                event("content_block_stop", #""index":0"#),
                start(1, #"{"type":"redacted_thinking","data":"ENCRYPTED"}"#),
                start(2, #"{"type":"text","text":""}"#),
                delta(2, #"{"type":"text_delta","text":"Checking."}"#),
                start(3, #"{"type":"tool_use","id":"toolu_1","name":"now","input":{}}"#),
            ] + end)
        #expect(
            deltas == [
                .thinking("Let me "), .thinking("think: é 😀"), .signature("sig-A=="),
                .redactedThinking(data: "ENCRYPTED"), .text("Checking."),
                .toolUse(index: 3, toolUseID: "toolu_1", name: "now"),
            ])
    }

    /// Two signed thinking blocks in a row stay two blocks (the signature closes the first); a block whose
    /// reasoning is omitted is its signature alone; a signature already in `content_block_start` counts.
    @Test func anthropicConsecutiveThinkingBlocks() throws {
        let deltas = try anthropicDeltas(
            [
                messageStart,
                start(0, #"{"type":"thinking","thinking":""}"#),
                delta(0, #"{"type":"signature_delta","signature":"s1"}"#),
                start(1, #"{"type":"thinking","thinking":"whole","signature":"s2"}"#),
                start(2, #"{"type":"tool_use","id":"toolu_1","name":"now","input":{}}"#),
            ] + end)
        #expect(
            deltas == [
                .signature("s1"), .thinking("whole"), .signature("s2"),
                .toolUse(index: 2, toolUseID: "toolu_1", name: "now"),
            ])
    }

    /// A non-streaming answer keeps its thinking blocks as they came.
    @Test func anthropicNonStreamingThinking() throws {
        let json = try JSONValue.parse(
            Array(
                #"{"content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"redacted_thinking","data":"X"},{"type":"text","text":"42"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}"#
                    .utf8))
        let response = try AnthropicProvider.response(from: json, errors: errors, stopSequences: [])
        #expect(response.content == [.thinking(text: "hm", signature: "s"), .redactedThinking(data: "X"), .text("42")])
    }

    /// An OpenAI-compatible server's `reasoning_content` is one thinking block without signature, before the text.
    @Test func openAIReasoningContent() throws {
        var folder = OpenAIStreamFolder(errors: errors)
        var out: [StreamEvent] = []
        for delta in [#"{"reasoning_content":"Think"}"#, #"{"reasoning_content":"ing."}"#, #"{"content":"Hi"}"#] {
            out += try folder.fold(
                event: nil, data: #"{"choices":[{"index":0,"delta":\#(delta),"finish_reason":null}]}"#)
        }
        out += try folder.fold(event: nil, data: "[DONE]")
        let deltas = out.compactMap { if case .delta(let delta) = $0 { delta } else { nil } }
        #expect(deltas == [.thinking("Think"), .thinking("ing."), .text("Hi")])
    }

    /// The non-streaming form of the same.
    @Test func openAINonStreamingReasoningContent() throws {
        let json = try JSONValue.parse(
            Array(
                #"{"choices":[{"message":{"role":"assistant","reasoning_content":"Think.","content":"Hi"},"finish_reason":"stop"}]}"#
                    .utf8))
        let response = try OpenAIProvider.response(from: json, errors: errors)
        #expect(response.content == [.thinking(text: "Think.", signature: nil), .text("Hi")])
    }
}
