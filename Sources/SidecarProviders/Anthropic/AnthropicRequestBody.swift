import SidecarProtocol

/// Builds the JSON body of `POST /v1/messages` from a unified request.
///
/// Field mapping: `system` top-level; `messages[].content` always as an array of blocks (`text`, `image`
/// with a base64 `source`, `tool_use`, `tool_result`, `thinking`, `redacted_thinking`); `tools[]` as
/// `{name, description, input_schema}`; `tool_choice` as `{type: auto | any | none | tool (+ name)}`, sent
/// only with tools; `stop` -> `stop_sequences`; `temperature`, `top_p`, `max_tokens` (required upstream; resolved by the
/// registry from the request, the agent, or `ProviderRequest.defaultMaxTokens`).
///
/// Prompt caching (`promptCaching`): `cache_control: {type: ephemeral}` goes on the system prompt
/// (which caches tools + system) and on the last block of the last message, so the whole prompt is
/// written to the cache and the next turn of the same conversation, which repeats it as its prefix,
/// reads it. Two of the four breakpoints Anthropic allows.
///
/// Thinking: signed `thinking` and `redacted_thinking` blocks go back unchanged, as the API requires in a
/// tool-use loop with thinking on. A thinking block without signature came from another kind of upstream
/// (OpenAI-compatible `reasoning_content`) and would be refused: it is dropped, and a turn left empty with it.
/// The request's `thinking` goes as given (`{type: enabled, budget_tokens}`, `{type: adaptive}`,
/// `{type: disabled}`); `effort` goes as `output_config` (see `outputConfig(_:)`).
enum AnthropicRequestBody {
    static func make(_ request: ProviderRequest, stream: Bool) -> JSONValue {
        let completion = request.completion
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "max_tokens": JSONValue(request.maxTokens),
            "stream": .bool(stream),
        ]
        var messages = completion.messages.compactMap { message -> JSONValue? in
            let blocks = message.content.compactMap(block)
            // A turn of nothing but dropped thinking is left out; the API refuses an empty one.
            if blocks.isEmpty, !message.content.isEmpty { return nil }
            return ["role": .string(message.role.rawValue), "content": .array(blocks)]
        }
        if let system = completion.system {
            if request.promptCaching {
                body["system"] = [["type": "text", "text": .string(system), "cache_control": ephemeral]]
            } else {
                body["system"] = .string(system)
            }
        }
        if request.promptCaching, let last = messages.indices.last {
            messages[last] = markLastBlock(messages[last])
        }
        body["messages"] = .array(messages)
        if let temperature = completion.temperature { body["temperature"] = .number(temperature) }
        if let topP = completion.topP { body["top_p"] = .number(topP) }
        if !completion.stop.isEmpty { body["stop_sequences"] = .array(completion.stop.map { .string($0) }) }
        if let thinking = completion.thinking { body["thinking"] = thinking.json }
        if let effort = completion.effort { body["output_config"] = outputConfig(effort) }
        if !completion.tools.isEmpty {
            body["tools"] = .array(
                completion.tools.map { tool in
                    var fields: [String: JSONValue] = ["name": .string(tool.name), "input_schema": tool.inputSchema]
                    if let description = tool.description { fields["description"] = .string(description) }
                    return .object(fields)
                })
            if let choice = completion.toolChoice { body["tool_choice"] = toolChoice(choice) }
        }
        return .object(body)
    }

    static let ephemeral: JSONValue = ["type": "ephemeral"]

    static func block(_ block: ContentBlock) -> JSONValue? {
        switch block {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .image(let mediaType, let data):
            return [
                "type": "image",
                "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(data)],
            ]
        case .toolUse(let id, let name, let input):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .incompleteToolUse(let id, let name, _):
            // The API requires an object; the cut-off text is not one.
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": [:]]
        case .toolResult(let id, let content, let isError):
            var fields: [String: JSONValue] = [
                "type": "tool_result", "tool_use_id": .string(id), "content": .array(content.compactMap(Self.block)),
            ]
            if isError { fields["is_error"] = true }
            return .object(fields)
        case .thinking(let text, let signature):
            guard let signature else { return nil }
            return ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
        case .redactedThinking(let data):
            return ["type": "redacted_thinking", "data": .string(data)]
        }
    }

    /// Anthropic's effort parameter, `output_config: {effort: low | medium | high}` as its Messages API documents it.
    /// It has no `minimal`, which becomes `low`. Kept in one place in case the field name changes.
    static func outputConfig(_ effort: Effort) -> JSONValue {
        ["effort": .string(effort == .minimal ? Effort.low.rawValue : effort.rawValue)]
    }

    /// The unified `tool_choice` is a string (`auto`, `any`, `none`) or already an object
    /// (`{type: tool, name}`), which passes through.
    static func toolChoice(_ choice: JSONValue) -> JSONValue {
        if let name = choice.stringValue { return ["type": .string(name)] }
        return choice
    }

    private static func markLastBlock(_ message: JSONValue) -> JSONValue {
        guard var fields = message.objectValue, var blocks = fields["content"]?.arrayValue,
            let last = blocks.indices.last, var block = blocks[last].objectValue
        else { return message }
        block["cache_control"] = ephemeral
        blocks[last] = .object(block)
        fields["content"] = .array(blocks)
        return .object(fields)
    }
}
