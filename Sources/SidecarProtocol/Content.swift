/// Who wrote a message in the conversation.
public enum Role: String, Sendable, Equatable {
    case user, assistant
}

/// One content block of a message, or of a `done` frame's `content`.
public enum ContentBlock: Sendable, Equatable {
    case text(String)
    /// A tool call by the model. `input` is the parsed JSON arguments.
    case toolUse(id: String, name: String, input: JSONValue)
    /// A tool call whose arguments are not a JSON object: cut off by `max_tokens`, or malformed upstream.
    /// `partialJSON` is the raw argument text received. On the wire it is a `tool_use` block with
    /// `input: null` and `incomplete: true`, so an agent cannot mistake it for a call to run.
    case incompleteToolUse(id: String, name: String, partialJSON: String)
    /// The caller's answer to a tool call; `content` is text or nested text/image blocks.
    case toolResult(toolUseID: String, content: [ContentBlock], isError: Bool)
    /// Base64 image data.
    case image(mediaType: String, data: String)
    /// The model's reasoning. `signature` is the upstream's seal over it (Anthropic), which must come back
    /// unchanged in the next turn; nil when the upstream does not sign (OpenAI-compatible `reasoning_content`).
    case thinking(text: String, signature: String?)
    /// Reasoning the upstream encrypted (Anthropic); `data` is opaque and goes back unchanged.
    case redactedThinking(data: String)

    public var json: JSONValue {
        switch self {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .toolUse(let id, let name, let input):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .incompleteToolUse(let id, let name, let partialJSON):
            return [
                "type": "tool_use", "id": .string(id), "name": .string(name), "input": .null,
                "partial_json": .string(partialJSON), "incomplete": true,
            ]
        case .toolResult(let id, let content, let isError):
            var fields: [String: JSONValue] = [
                "type": "tool_result", "tool_use_id": .string(id), "content": .array(content.map(\.json)),
            ]
            if isError { fields["is_error"] = true }
            return .object(fields)
        case .image(let mediaType, let data):
            return ["type": "image", "media_type": .string(mediaType), "data": .string(data)]
        case .thinking(let text, let signature):
            var fields: [String: JSONValue] = ["type": "thinking", "thinking": .string(text)]
            if let signature { fields["signature"] = .string(signature) }
            return .object(fields)
        case .redactedThinking(let data):
            return ["type": "redacted_thinking", "data": .string(data)]
        }
    }
}

extension ContentBlock {
    /// True for `thinking` and `redacted_thinking` blocks, the model's reasoning rather than its answer.
    public var isThinking: Bool {
        switch self {
        case .thinking, .redactedThinking: true
        default: false
        }
    }
}

/// One turn of the conversation.
public struct Message: Sendable, Equatable {
    public var role: Role
    public var content: [ContentBlock]

    public init(role: Role, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }
}

/// A tool the model may call.
public struct Tool: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var inputSchema: JSONValue

    public init(name: String, description: String?, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}
