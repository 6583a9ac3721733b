import SidecarProtocol
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "p", kind: "test", secret: nil)

@Suite struct ResponseParsingTests {
    /// A non-streaming Anthropic message: thinking kept, tool input kept as JSON, cache usage mapped.
    @Test func anthropicMessage() throws {
        let json = try JSONValue.parse(
            Array(
                #"""
                {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"thinking","thinking":"..."},
                {"type":"text","text":"Hi"},{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}],
                "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":6,"cache_read_input_tokens":7,
                "cache_creation_input_tokens":8}}
                """#.utf8))
        let response = try AnthropicProvider.response(from: json, errors: errors, stopSequences: [])
        #expect(
            response.content == [
                .thinking(text: "...", signature: nil), .text("Hi"),
                .toolUse(id: "toolu_1", name: "f", input: ["a": 1]),
            ])
        #expect(response.stopReason == .toolUse)
        #expect(response.usage == Usage(inputTokens: 5, outputTokens: 6, cacheReadTokens: 7, cacheWriteTokens: 8))
    }

    /// An error object in a 200 body is classified like an error event.
    @Test func errorObjectsInSuccessfulBodies() throws {
        let anthropic = try JSONValue.parse(
            Array(#"{"type":"error","error":{"type":"overloaded_error","message":"x"}}"#.utf8))
        #expect(throws: ProviderFailure.self) {
            try AnthropicProvider.response(from: anthropic, errors: errors, stopSequences: [])
        }
        let openAI = try JSONValue.parse(Array(#"{"error":{"message":"slow down","code":"rate_limit_exceeded"}}"#.utf8))
        do {
            _ = try OpenAIProvider.response(from: openAI, errors: errors)
            Issue.record("expected a failure")
        } catch let failure as ProviderFailure {
            #expect(failure.failureClass == .rateLimited)
        }
    }

    /// OpenAI tool call arguments are parsed; arguments that are not JSON are kept as a string; no usage is unreported.
    @Test func openAICompletion() throws {
        let json = try JSONValue.parse(
            Array(
                #"""
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}},
                {"id":"call_2","type":"function","function":{"name":"g","arguments":"not json"}}]},
                "finish_reason":"tool_calls"}]}
                """#.utf8))
        let response = try OpenAIProvider.response(from: json, errors: errors)
        #expect(
            response.content == [
                .toolUse(id: "call_1", name: "f", input: ["a": 1]),
                .incompleteToolUse(id: "call_2", name: "g", partialJSON: "not json"),
            ])
        #expect(response.stopReason == .toolUse)
        #expect(response.usage.reported == false)
    }

    /// Configured headers add to the defaults and replace a default of the same name, case-insensitively.
    @Test func configuredHeadersOverrideDefaults() {
        let merged = UpstreamCall.headers(
            [("anthropic-version", "2023-06-01"), ("content-type", "application/json")],
            extra: ["Anthropic-Version": "2024-01-01", "anthropic-beta": "b"])
        #expect(
            merged.map { "\($0.name)=\($0.value)" } == [
                "content-type=application/json", "Anthropic-Version=2024-01-01", "anthropic-beta=b",
            ])
    }
}
