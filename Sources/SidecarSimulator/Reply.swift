/// The content and usage of a successful simulated answer.
public struct Reply: Sendable, Equatable {
    /// Reply text; nil derives a deterministic sentence from the last user message. An empty string with
    /// tool calls means a tool-only answer.
    public var text: String?
    /// Tool calls streamed after the text.
    public var toolCalls: [ToolCall]
    /// Adds the call `sim-tools` makes (`SimToolCall`: the request's first tool, else `get_weather`), unless
    /// the request ends with a tool result; nil `text` then becomes "Let me look that up.".
    public var callsOfferedTool: Bool
    /// Uncached input tokens; nil estimates about one token per four characters of the request's messages.
    public var inputTokens: Int?
    /// Output tokens; nil estimates about one token per four characters of the reply.
    public var outputTokens: Int?
    /// Tokens read from the prompt cache (Anthropic `cache_read_input_tokens`, OpenAI
    /// `prompt_tokens_details.cached_tokens`, which OpenAI also counts inside `prompt_tokens`).
    public var cacheReadTokens: Int
    /// Tokens written to the prompt cache (Anthropic `cache_creation_input_tokens`; OpenAI has no such field).
    public var cacheWriteTokens: Int
    /// How usage is reported.
    public var usage: UsageReporting
    /// Adds events a forward-compatible client must skip (see `Behaviour.unknownEvents`).
    public var unknownEvents: Bool
    /// Why generation stopped; nil means tool use when there are tool calls, else end of turn.
    public var finish: Finish?

    public init(
        text: String? = nil, toolCalls: [ToolCall] = [], callsOfferedTool: Bool = false, inputTokens: Int? = nil,
        outputTokens: Int? = nil, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0,
        usage: UsageReporting = .standard, unknownEvents: Bool = false, finish: Finish? = nil
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.callsOfferedTool = callsOfferedTool
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.usage = usage
        self.unknownEvents = unknownEvents
        self.finish = finish
    }
}

/// One tool call in a simulated reply.
public struct ToolCall: Sendable, Equatable {
    /// Call id; nil generates `toolu_sim_...` (Anthropic) or `call_sim_...` (OpenAI).
    public var id: String?
    public var name: String
    /// The arguments as JSON text; streamed in fragments of a few characters.
    public var inputJSON: String

    public init(id: String? = nil, name: String, inputJSON: String) {
        self.id = id
        self.name = name
        self.inputJSON = inputJSON
    }
}

/// How a simulated reply reports token usage.
public enum UsageReporting: String, Sendable, Equatable {
    /// As the vendor does: Anthropic in `message_start` (input, cache) and `message_delta` (output); OpenAI in
    /// a final chunk with empty `choices` when the request sets `stream_options.include_usage`.
    case standard
    /// Never: no usage fields at all (OpenAI-compatible servers that ignore `include_usage`).
    case none
    /// Anthropic-compatible backends: zeros in `message_start`, everything in `message_delta`.
    /// OpenAI streams report usage as `standard`.
    case onlyInMessageDelta = "only_in_message_delta"
}

/// Why a simulated generation stopped, spelled per vendor on the wire.
public enum Finish: String, Sendable, Equatable {
    /// Anthropic `end_turn`, OpenAI `stop`.
    case endTurn = "end_turn"
    /// Anthropic `max_tokens`, OpenAI `length`.
    case maxTokens = "max_tokens"
    /// Anthropic `stop_sequence` (with `stop_sequence: "STOP"`), OpenAI `stop`.
    case stopSequence = "stop_sequence"
    /// Anthropic `tool_use`, OpenAI `tool_calls`.
    case toolUse = "tool_use"
    /// Anthropic `refusal`, OpenAI `content_filter`.
    case contentFilter = "content_filter"
}
