import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import Testing

@testable import SidecarProviders

/// What the providers put on the wire, read back from the simulated upstream's request log, checked
/// against the field names the vendors document, so a renamed field cannot slip through.
@Suite struct ProviderRequestTests {
    private func send(_ kind: Kind, _ request: ProviderRequest, headers: [String: String] = [:]) async throws
        -> RecordedRequest
    {
        let h = try Harness()
        h.upstream.enqueue(.reply("ok"))
        let base = kind == .anthropic ? h.upstream.baseURL : h.upstream.baseURL.appendingPathComponent("v1")
        let settings = ProviderSettings(
            name: "sim", kind: kind.rawValue, baseURL: base, apiKey: Secret(kind.key),
            models: [], headers: headers)
        let (_, error) = await collect(try ProviderCatalog.make(settings, transport: h.transport).stream(request))
        #expect(error == nil)
        return try #require(h.upstream.requests().last)
    }

    /// Anthropic: path, headers and every documented body field of a request using all block types.
    @Test func anthropicWireRequest() async throws {
        let logged = try await send(.anthropic, richRequest(), headers: ["anthropic-beta": "test-beta"])
        #expect(logged.method == "POST" && logged.path == "/v1/messages")
        #expect(logged.header("x-api-key") == "sk-ant-test-key")
        #expect(logged.header("anthropic-version") == "2023-06-01")
        #expect(logged.header("content-type") == "application/json")
        #expect(logged.header("anthropic-beta") == "test-beta")
        #expect(logged.header("authorization") == nil)
        let body = try JSONValue.parse(logged.body)
        #expect(
            Set(body.objectValue?.keys.map { $0 } ?? []) == [
                "model", "max_tokens", "stream", "system", "messages", "temperature", "top_p", "stop_sequences",
                "tools",
                "tool_choice",
            ])
        #expect(body["model"] == "m-1" && body["max_tokens"] == 256 && body["stream"] == true)
        #expect(body["temperature"] == 0.5 && body["top_p"] == 0.9 && body["stop_sequences"] == ["END"])
        #expect(
            body["tools"] == [
                [
                    "name": "get_weather", "description": "Weather by city",
                    "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]],
                ]
            ])
        #expect(body["tool_choice"] == ["type": "any"])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(
            messages[0]["content"]?.arrayValue?[1]["source"] == [
                "type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo=",
            ])
        #expect(messages[1]["content"]?.arrayValue?[1]["type"] == "tool_use")
        #expect(messages[2]["content"]?.arrayValue?[0]["tool_use_id"] == "toolu_1")
    }

    /// OpenAI: path, bearer auth and every documented body field, with tool calls and tool messages.
    @Test func openAIWireRequest() async throws {
        let logged = try await send(.openai, richRequest(), headers: ["HTTP-Referer": "https://example.test"])
        #expect(logged.method == "POST" && logged.path == "/v1/chat/completions")
        #expect(logged.header("authorization") == "Bearer sk-test-key")
        #expect(logged.header("content-type") == "application/json")
        #expect(logged.header("http-referer") == "https://example.test")
        #expect(logged.header("x-api-key") == nil)
        let body = try JSONValue.parse(logged.body)
        #expect(
            Set(body.objectValue?.keys.map { $0 } ?? []) == [
                "model", "max_tokens", "stream", "stream_options", "messages", "temperature", "top_p", "stop", "tools",
                "tool_choice",
            ])
        #expect(body["stream_options"] == ["include_usage": true] && body["max_tokens"] == 256)
        #expect(body["stop"] == ["END"] && body["tool_choice"] == "required")
        #expect(body["tools"]?.arrayValue?.first?["function"]?["parameters"]?["type"] == "object")
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["system", "user", "assistant", "tool", "user"])
        #expect(messages[1]["content"]?.arrayValue?[1]["image_url"]?["url"] == "data:image/png;base64,iVBORw0KGgo=")
        #expect(messages[2]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == #"{"city":"Paris"}"#)
        #expect(messages[3]["tool_call_id"] == "toolu_1" && messages[3]["content"] == "18C")
    }
}
