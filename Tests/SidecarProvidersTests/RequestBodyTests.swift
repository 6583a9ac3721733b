import Foundation
import SidecarProtocol
import Testing

@testable import SidecarProviders

/// A conversation using every block type: system, image, tool use and tool result, tools and stops.
func richRequest(caching: Bool = false, toolChoice: JSONValue? = "any") -> ProviderRequest {
    let completion = CompletionRequest(
        id: "r1", system: "You are terse.",
        messages: [
            Message(
                role: .user,
                content: [
                    .text("What is in this picture, and the weather?"),
                    .image(mediaType: "image/png", data: "iVBORw0KGgo="),
                ]),
            Message(
                role: .assistant,
                content: [
                    .text("Checking."),
                    .toolUse(id: "toolu_1", name: "get_weather", input: ["city": "Paris"]),
                ]),
            Message(
                role: .user,
                content: [
                    .toolResult(toolUseID: "toolu_1", content: [.text("18C")], isError: false),
                    .text("Thanks"),
                ]),
        ],
        temperature: 0.5, topP: 0.9, stop: ["END"],
        tools: [
            Tool(
                name: "get_weather", description: "Weather by city",
                inputSchema: ["type": "object", "properties": ["city": ["type": "string"]]])
        ],
        toolChoice: toolChoice)
    return ProviderRequest(model: "m-1", completion: completion, maxTokens: 256, promptCaching: caching)
}

@Suite struct RequestBodyTests {
    /// The Anthropic body uses the documented field names and block shapes.
    @Test func anthropicFieldNames() throws {
        let body = AnthropicRequestBody.make(richRequest(), stream: true)
        #expect(
            Set(body.objectValue?.keys.map { $0 } ?? []) == [
                "model", "max_tokens", "stream", "system", "messages", "temperature", "top_p", "stop_sequences",
                "tools",
                "tool_choice",
            ])
        #expect(body["max_tokens"] == 256)
        #expect(body["system"] == "You are terse.")
        #expect(body["stop_sequences"] == ["END"])
        #expect(body["tool_choice"] == ["type": "any"])
        #expect(body["tools"]?.arrayValue?.first?["input_schema"]?["type"] == "object")
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(
            messages[0]["content"]?.arrayValue?[1] == [
                "type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="],
            ])
        #expect(
            messages[1]["content"]?.arrayValue?[1] == [
                "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Paris"],
            ])
        #expect(
            messages[2]["content"]?.arrayValue?[0] == [
                "type": "tool_result", "tool_use_id": "toolu_1", "content": [["type": "text", "text": "18C"]],
            ])
        #expect(!String(decoding: body.encoded(), as: UTF8.self).contains("cache_control"))
    }

    /// With prompt caching, cache_control marks the system prompt and the last block of the last message only.
    @Test func anthropicCachePlacement() throws {
        let body = AnthropicRequestBody.make(richRequest(caching: true), stream: true)
        #expect(body["system"] == [["type": "text", "text": "You are terse.", "cache_control": ["type": "ephemeral"]]])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages[2]["content"]?.arrayValue?.last?["cache_control"] == ["type": "ephemeral"])
        let marks = String(decoding: body.encoded(), as: UTF8.self).components(separatedBy: "cache_control").count - 1
        #expect(marks == 2)
    }

    /// Unified tool_choice strings map to each API's spelling.
    @Test(arguments: [("auto", JSONValue("auto")), ("any", "required"), ("none", "none")])
    func toolChoiceMapping(unified: String, openAI: JSONValue) {
        #expect(AnthropicRequestBody.toolChoice(.string(unified)) == ["type": .string(unified)])
        #expect(OpenAIRequestBody.toolChoice(.string(unified)) == openAI)
    }

    /// A named tool choice becomes {type: tool, name} for Anthropic and {type: function, function: {name}} for OpenAI.
    @Test func namedToolChoice() {
        let named: JSONValue = ["type": "tool", "name": "get_weather"]
        #expect(AnthropicRequestBody.toolChoice(named) == named)
        #expect(OpenAIRequestBody.toolChoice(named) == ["type": "function", "function": ["name": "get_weather"]])
    }

    /// The OpenAI body: system message, assistant tool_calls, tool message, image data URL, functions, stream options.
    @Test func openAIFieldNames() throws {
        let body = OpenAIRequestBody.make(richRequest(), stream: true, useMaxCompletionTokens: false)
        #expect(
            Set(body.objectValue?.keys.map { $0 } ?? []) == [
                "model", "max_tokens", "stream", "stream_options", "messages", "temperature", "top_p", "stop", "tools",
                "tool_choice",
            ])
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["tool_choice"] == "required")
        #expect(
            body["tools"]?.arrayValue?.first == [
                "type": "function",
                "function": [
                    "name": "get_weather", "description": "Weather by city",
                    "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
                ],
            ])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool", "user"])
        #expect(
            messages[1]["content"]?.arrayValue?[1] == [
                "type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw0KGgo="],
            ])
        #expect(
            messages[2] == [
                "role": "assistant", "content": "Checking.",
                "tool_calls": [
                    [
                        "id": "toolu_1", "type": "function",
                        "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#],
                    ]
                ],
            ])
        #expect(messages[3] == ["role": "tool", "tool_call_id": "toolu_1", "content": "18C"])
        #expect(messages[4] == ["role": "user", "content": "Thanks"])
    }

    /// api.openai.com gets max_completion_tokens; every other (compatible) server gets max_tokens.
    @Test func maxTokensFieldByHost() throws {
        let official = try #require(URL(string: "https://api.openai.com/v1"))
        let local = try #require(URL(string: "http://127.0.0.1:11434/v1"))
        #expect(OpenAIRequestBody.wantsMaxCompletionTokens(official))
        #expect(!OpenAIRequestBody.wantsMaxCompletionTokens(local))
        let body = OpenAIRequestBody.make(richRequest(), stream: false, useMaxCompletionTokens: true)
        #expect(body["max_completion_tokens"] == 256 && body["max_tokens"] == nil && body["stream_options"] == nil)
    }

    /// Endpoint URLs follow each kind's base_url convention, with or without a trailing slash.
    @Test func endpointJoining() throws {
        let a = try #require(URL(string: "http://127.0.0.1:9/"))
        let o = try #require(URL(string: "http://127.0.0.1:9/v1"))
        #expect(a.appendingPathComponent("v1/messages").absoluteString == "http://127.0.0.1:9/v1/messages")
        #expect(o.appendingPathComponent("chat/completions").absoluteString == "http://127.0.0.1:9/v1/chat/completions")
    }
}
