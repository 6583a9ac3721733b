/// A `complete` request, validated. Built only through `init(parsing:)`, so every instance is well-formed.
public struct CompletionRequest: Sendable, Equatable {
    public var id: String
    public var agent: String?
    /// `provider/model`, an alias, or a bare model name; nil means the agent's chain.
    public var model: String?
    public var system: String?
    public var messages: [Message]
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var stop: [String]
    public var tools: [Tool]
    /// Passed through to the provider mapping (`auto`, `any`, `none`, or `{type: tool, name}`).
    public var toolChoice: JSONValue?
    public var stream: Bool
    /// Ask for prompt caching even when the provider does not enable it by default.
    public var cache: Bool
    /// Caller-defined object recorded in the ledger.
    public var metadata: JSONValue?
    public var thinking: Thinking?
    public var effort: Effort?

    public init(
        id: String, agent: String? = nil, model: String? = nil, system: String? = nil, messages: [Message],
        maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, stop: [String] = [],
        tools: [Tool] = [], toolChoice: JSONValue? = nil, stream: Bool = true, cache: Bool = false,
        metadata: JSONValue? = nil, thinking: Thinking? = nil, effort: Effort? = nil
    ) {
        self.id = id
        self.agent = agent
        self.model = model
        self.system = system
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.stop = stop
        self.tools = tools
        self.toolChoice = toolChoice
        self.stream = stream
        self.cache = cache
        self.metadata = metadata
        self.thinking = thinking
        self.effort = effort
    }

    /// Validates a decoded `complete` message; `id` has already been read by the caller.
    public init(parsing value: JSONValue, id: String) throws(SidecarError) {
        let r = try FieldReader(value, path: "")
        self.id = id
        agent = try r.string("agent")
        model = try r.string("model")
        system = try r.string("system")
        guard let rawMessages = try r.array("messages") else { throw r.fail("messages", "missing") }
        if rawMessages.isEmpty { throw r.fail("messages", "must not be empty") }
        var messages: [Message] = []
        for (i, raw) in rawMessages.enumerated() {
            messages.append(try Self.parseMessage(raw, path: "messages[\(i)]"))
        }
        self.messages = messages
        maxTokens = try r.int("max_tokens", min: 1)
        temperature = try r.double("temperature")
        topP = try r.double("top_p")
        var stop: [String] = []
        for (i, item) in (try r.array("stop") ?? []).enumerated() {
            guard let s = item.stringValue else {
                throw SidecarError(.badRequest, "stop[\(i)]: expected string, got \(item.typeName)")
            }
            stop.append(s)
        }
        self.stop = stop
        var tools: [Tool] = []
        for (i, raw) in (try r.array("tools") ?? []).enumerated() {
            let t = try FieldReader(raw, path: "tools[\(i)]")
            tools.append(
                Tool(
                    name: try t.requiredString("name"), description: try t.string("description"),
                    inputSchema: try t.object("input_schema") ?? ["type": "object"]))
        }
        self.tools = tools
        toolChoice = try Self.parseToolChoice(r)
        stream = try r.bool("stream") ?? true
        cache = try r.bool("cache") ?? false
        metadata = try r.object("metadata")
        thinking = try Self.parseThinking(r)
        effort = try Self.parseEffort(r)
    }

    private static func parseMessage(_ raw: JSONValue, path: String) throws(SidecarError) -> Message {
        let r = try FieldReader(raw, path: path)
        let roleName = try r.requiredString("role")
        guard let role = Role(rawValue: roleName) else {
            throw r.fail("role", "expected \"user\" or \"assistant\", got \"\(roleName)\"")
        }
        let content = try parseContent(r, key: "content", allowToolBlocks: true)
        for (i, block) in content.enumerated() {
            let allowed: Role
            switch block {
            case .text: continue
            case .toolUse, .incompleteToolUse, .thinking, .redactedThinking: allowed = .assistant
            case .toolResult, .image: allowed = .user
            }
            if role != allowed {
                throw SidecarError(
                    .badRequest, "\(path).content[\(i)].type: only allowed in \(allowed.rawValue) messages")
            }
        }
        return Message(role: role, content: content)
    }

    /// `auto`, `any`, `none`, `{type: tool, name}`, or the object form of the first three.
    private static func parseToolChoice(_ r: FieldReader) throws(SidecarError) -> JSONValue? {
        guard let choice = r.present("tool_choice") else { return nil }
        let modes: Set<String> = ["auto", "any", "none"]
        if let mode = choice.stringValue, modes.contains(mode) { return choice }
        if choice.objectValue != nil {
            let c = try FieldReader(choice, path: "tool_choice")
            let type = try c.requiredString("type")
            if modes.contains(type) { return choice }
            if type == "tool" {
                _ = try c.requiredString("name")
                return choice
            }
        }
        throw r.fail("tool_choice", "expected \"auto\", \"any\", \"none\" or {\"type\": \"tool\", \"name\": ...}")
    }

    /// `content` is a string (one text block) or an array of blocks.
    private static func parseContent(_ r: FieldReader, key: String, allowToolBlocks: Bool) throws(SidecarError)
        -> [ContentBlock]
    {
        guard let value = r.present(key) else { throw r.fail(key, "missing") }
        if let text = value.stringValue { return [.text(text)] }
        guard let items = value.arrayValue else { throw r.mismatch(key, expected: "string or array", got: value) }
        var blocks: [ContentBlock] = []
        for (i, item) in items.enumerated() {
            blocks.append(try parseBlock(item, path: "\(r.name(key))[\(i)]", allowToolBlocks: allowToolBlocks))
        }
        return blocks
    }

    private static func parseBlock(_ raw: JSONValue, path: String, allowToolBlocks: Bool) throws(SidecarError)
        -> ContentBlock
    {
        let r = try FieldReader(raw, path: path)
        let type = try r.requiredString("type")
        switch type {
        case "text":
            return .text(try r.requiredString("text"))
        case "image":
            return .image(mediaType: try r.requiredString("media_type"), data: try r.requiredString("data"))
        case "tool_use" where allowToolBlocks:
            return .toolUse(
                id: try r.requiredString("id"), name: try r.requiredString("name"),
                input: try r.object("input") ?? [:])
        case "thinking" where allowToolBlocks:
            return .thinking(text: try r.requiredString("thinking"), signature: try r.string("signature"))
        case "redacted_thinking" where allowToolBlocks:
            return .redactedThinking(data: try r.requiredString("data"))
        case "tool_result" where allowToolBlocks:
            return .toolResult(
                toolUseID: try r.requiredString("tool_use_id"),
                content: try parseContent(r, key: "content", allowToolBlocks: false),
                isError: try r.bool("is_error") ?? false)
        default:
            throw r.fail("type", "unknown content block type \"\(type)\"")
        }
    }
}
