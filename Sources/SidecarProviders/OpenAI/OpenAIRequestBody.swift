import Foundation
import SidecarProtocol

/// Builds the JSON body of `POST {base_url}/chat/completions` from a unified request.
///
/// Field mapping: `system` -> a leading `{role: system}` message; `tool_use` blocks -> the assistant
/// message's `tool_calls: [{id, type: function, function: {name, arguments}}]` (arguments as a JSON
/// string); `tool_result` blocks -> `{role: tool, tool_call_id, content}` messages, placed right after
/// the assistant turn as the API requires (their text joined; images in a tool result, which tool messages
/// cannot hold, follow in a user message); images -> `image_url` parts with a `data:` URL; `tools` ->
/// `[{type: function, function: {name, description, parameters}}]`; `tool_choice` `auto`/`none` as is,
/// `any` -> `required`, `{type: tool, name}` -> `{type: function, function: {name}}`; `stop`,
/// `temperature`, `top_p`; streaming adds `stream_options: {include_usage: true}`. Thinking and redacted
/// thinking blocks are dropped: Chat Completions takes no reasoning back, and an assistant turn holding
/// nothing else is left out.
///
/// Output limit: `max_tokens`, which every OpenAI-compatible server (vLLM, Ollama, llama.cpp,
/// OpenRouter...) understands, except for `api.openai.com`, whose newer models reject it, and for models
/// whose `ParameterRule` asks for it (the reasoning models, on any server): there `max_completion_tokens`
/// is sent instead.
///
/// Reasoning: `reasoning_effort` (see `reasoningEffort(_:)`), sent only when the request asks for reasoning.
///
/// Prompt caching needs nothing in the request: OpenAI caches long prefixes automatically and reports
/// cached tokens in usage.
enum OpenAIRequestBody {
    static func make(_ request: ProviderRequest, stream: Bool, useMaxCompletionTokens: Bool) -> JSONValue {
        let completion = request.completion
        var body: [String: JSONValue] = ["model": .string(request.model), "stream": .bool(stream)]
        body[useMaxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = JSONValue(request.maxTokens)
        if stream { body["stream_options"] = ["include_usage": true] }
        var messages: [JSONValue] = []
        if let system = completion.system { messages.append(["role": "system", "content": .string(system)]) }
        for message in completion.messages {
            messages.append(contentsOf: message.role == .assistant ? assistant(message) : user(message))
        }
        body["messages"] = .array(messages)
        if let temperature = completion.temperature { body["temperature"] = .number(temperature) }
        if let topP = completion.topP { body["top_p"] = .number(topP) }
        if !completion.stop.isEmpty { body["stop"] = .array(completion.stop.map { .string($0) }) }
        if let effort = reasoningEffort(completion) { body["reasoning_effort"] = .string(effort.rawValue) }
        if !completion.tools.isEmpty {
            body["tools"] = .array(
                completion.tools.map { tool in
                    var function: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.inputSchema]
                    if let description = tool.description { function["description"] = .string(description) }
                    return ["type": "function", "function": .object(function)]
                })
            if let choice = completion.toolChoice { body["tool_choice"] = toolChoice(choice) }
        }
        return .object(body)
    }

    /// True for OpenAI's own API, which wants `max_completion_tokens`.
    static func wantsMaxCompletionTokens(_ baseURL: URL) -> Bool {
        baseURL.host?.lowercased() == "api.openai.com"
    }

    /// `effort` as given (`minimal` included); without it, derived from `thinking`: a budget below 4096 tokens is
    /// `low`, below 16384 `medium`, else `high`; `adaptive` is `medium`; `disabled` sends nothing (the model's
    /// default).
    static func reasoningEffort(_ completion: CompletionRequest) -> Effort? {
        if let effort = completion.effort { return effort }
        switch completion.thinking {
        case .enabled(let budget): return budget < 4096 ? .low : budget < 16384 ? .medium : .high
        case .adaptive: return .medium
        case .disabled, nil: return nil
        }
    }

    static func toolChoice(_ choice: JSONValue) -> JSONValue {
        switch choice.stringValue ?? choice["type"]?.stringValue {
        case "any": return "required"
        case "auto": return "auto"
        case "none": return "none"
        case "tool":
            return ["type": "function", "function": ["name": choice["name"] ?? .null]]
        default:
            return choice
        }
    }

    private static func assistant(_ message: Message) -> [JSONValue] {
        var text = ""
        var calls: [JSONValue] = []
        for block in message.content {
            switch block {
            case .text(let t): text += t
            case .toolUse(let id, let name, let input):
                calls.append([
                    "id": .string(id), "type": "function",
                    "function": [
                        "name": .string(name),
                        "arguments": .string(String(decoding: input.encoded(), as: UTF8.self)),
                    ],
                ])
            case .incompleteToolUse(let id, let name, let partialJSON):
                calls.append([
                    "id": .string(id), "type": "function",
                    "function": ["name": .string(name), "arguments": .string(partialJSON)],
                ])
            case .thinking, .redactedThinking:
                break  // see the type's documentation
            case .image, .toolResult:
                break  // not valid in an assistant turn; the request parser does not produce them there
            }
        }
        if text.isEmpty, calls.isEmpty, message.content.allSatisfy(\.isThinking) { return [] }
        var fields: [String: JSONValue] = ["role": "assistant", "content": text.isEmpty ? .null : .string(text)]
        if !calls.isEmpty { fields["tool_calls"] = .array(calls) }
        return [.object(fields)]
    }

    /// Tool results become `tool` messages first, then the rest of the user turn as one user message.
    private static func user(_ message: Message) -> [JSONValue] {
        var toolMessages: [JSONValue] = []
        var parts: [ContentBlock] = []
        for block in message.content {
            if case .toolResult(let id, let content, _) = block {
                let text = content.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: "\n")
                toolMessages.append(["role": "tool", "tool_call_id": .string(id), "content": .string(text)])
                parts.append(contentsOf: content.filter { if case .image = $0 { true } else { false } })
            } else {
                parts.append(block)
            }
        }
        guard !parts.isEmpty else { return toolMessages }
        let content: JSONValue
        if parts.count == 1, case .text(let text) = parts[0] {
            content = .string(text)
        } else {
            content = .array(parts.compactMap(part))
        }
        return toolMessages + [["role": "user", "content": content]]
    }

    private static func part(_ block: ContentBlock) -> JSONValue? {
        switch block {
        case .text(let text): return ["type": "text", "text": .string(text)]
        case .image(let mediaType, let data):
            return ["type": "image_url", "image_url": ["url": .string("data:\(mediaType);base64,\(data)")]]
        case .toolUse, .incompleteToolUse, .toolResult, .thinking, .redactedThinking: return nil
        }
    }
}
