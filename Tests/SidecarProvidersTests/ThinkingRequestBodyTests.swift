import SidecarProtocol
import Testing

@testable import SidecarProviders

/// A tool-use loop with thinking on: the assistant turn holds a signed thinking block, a redacted one, an
/// unsigned one (as an OpenAI-compatible server produces) and the tool call.
private func loopRequest() -> ProviderRequest {
    let completion = CompletionRequest(
        id: "r1",
        messages: [
            Message(role: .user, content: [.text("Time?")]),
            Message(
                role: .assistant,
                content: [
                    .thinking(text: "Need the clock.", signature: "sig=="),
                    .redactedThinking(data: "ENC"),
                    .thinking(text: "unsigned", signature: nil),
                    .toolUse(id: "toolu_1", name: "now", input: [:]),
                ]),
            Message(role: .assistant, content: [.thinking(text: "only reasoning", signature: nil)]),
            Message(
                role: .user, content: [.toolResult(toolUseID: "toolu_1", content: [.text("12:00")], isError: false)]),
        ])
    return ProviderRequest(model: "m-1", completion: completion, maxTokens: 64, promptCaching: false)
}

@Suite struct ThinkingRequestBodyTests {
    /// Anthropic gets the signed and redacted blocks back unchanged; the unsigned one, which it would refuse, is
    /// dropped, and the turn holding nothing else left out.
    @Test func anthropicSendsSignedThinkingBack() throws {
        let body = AnthropicRequestBody.make(loopRequest(), stream: true)
        let expected = try JSONValue.parse(
            Array(
                #"""
                {"model":"m-1","max_tokens":64,"stream":true,"messages":[
                 {"role":"user","content":[{"type":"text","text":"Time?"}]},
                 {"role":"assistant","content":[
                  {"type":"thinking","thinking":"Need the clock.","signature":"sig=="},
                  {"type":"redacted_thinking","data":"ENC"},
                  {"type":"tool_use","id":"toolu_1","name":"now","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"12:00"}]}]}]}
                """#.utf8))
        #expect(body == expected)
    }

    /// OpenAI takes no reasoning back: thinking blocks are dropped, and a turn of nothing else is left out.
    @Test func openAIDropsThinking() throws {
        let body = OpenAIRequestBody.make(loopRequest(), stream: false, useMaxCompletionTokens: false)
        let expected = try JSONValue.parse(
            Array(
                #"""
                {"model":"m-1","stream":false,"max_tokens":64,"messages":[
                 {"role":"user","content":"Time?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"now","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"toolu_1","content":"12:00"}]}
                """#.utf8))
        #expect(body == expected)
    }
}
