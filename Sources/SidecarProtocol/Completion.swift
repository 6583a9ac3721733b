/// One incremental piece of a streamed answer: the `delta` of a `chunk` frame.
public enum Delta: Sendable, Equatable {
    case text(String)
    /// A tool call starts at content position `index`.
    case toolUse(index: Int, toolUseID: String, name: String)
    /// A fragment of the JSON arguments of the tool call at `index`.
    case toolInput(index: Int, partialJSON: String)
    /// More reasoning text of the current thinking block; starts one when the last block is not a thinking
    /// block still open (not yet given its signature).
    case thinking(String)
    /// The signature of the current thinking block, which it closes; starts (an empty) one when there is none.
    case signature(String)
    /// A whole redacted thinking block.
    case redactedThinking(data: String)

    public var json: JSONValue {
        switch self {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .toolUse(let index, let id, let name):
            return ["type": "tool_use", "index": JSONValue(index), "tool_use_id": .string(id), "name": .string(name)]
        case .toolInput(let index, let partial):
            return ["type": "tool_input", "index": JSONValue(index), "partial_json": .string(partial)]
        case .thinking(let text):
            return ["type": "thinking", "text": .string(text)]
        case .signature(let signature):
            return ["type": "signature", "signature": .string(signature)]
        case .redactedThinking(let data):
            return ["type": "redacted_thinking", "data": .string(data)]
        }
    }
}

/// Why the model stopped: one of the values below, or an upstream's own reason under its own name (already
/// sanitised by the provider), so a reason added upstream reaches the client instead of passing for another.
public struct StopReason: Sendable, Hashable {
    /// The `done.stop_reason` string.
    public let rawValue: String
    /// The stop sequence that ended the answer (`done.stop_sequence`); only with `stop_sequence`, and nil
    /// when the upstream did not say which one matched.
    public let stopSequence: String?

    public init(rawValue: String, stopSequence: String? = nil) {
        self.rawValue = rawValue
        self.stopSequence = stopSequence
    }

    public static let endTurn = StopReason(rawValue: "end_turn")
    public static let maxTokens = StopReason(rawValue: "max_tokens")
    public static let stopSequence = StopReason(rawValue: "stop_sequence")
    public static let toolUse = StopReason(rawValue: "tool_use")
    /// The upstream's content filter cut the answer (OpenAI `content_filter`).
    public static let contentFilter = StopReason(rawValue: "content_filter")
    /// The model declined to answer (Anthropic `refusal`, an OpenAI answer carrying `refusal`).
    public static let refusal = StopReason(rawValue: "refusal")
    /// Anthropic paused a long server-tool turn; sending the answer back continues it.
    public static let pauseTurn = StopReason(rawValue: "pause_turn")
    /// Anthropic stopped to compact the context.
    public static let compaction = StopReason(rawValue: "compaction")
    /// The model's context window filled before `max_tokens` was reached (Anthropic).
    public static let modelContextWindowExceeded = StopReason(rawValue: "model_context_window_exceeded")
}

/// Token counts of one request, normalized across providers: `inputTokens` excludes cached input.
///
/// `cacheWrite1hTokens` and `reasoningTokens` are parts of `cacheWriteTokens` and `outputTokens`, not
/// further classes: `cacheWriteTokens` counts every cache write (so a client that knows only it still
/// adds up the right total), and the writes not in the 1-hour class are 5-minute writes. An upstream that
/// does not split its writes by TTL (OpenAI, older Anthropic) has all of them counted as 5-minute writes.
public struct Usage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheReadTokens: Int
    public var cacheWriteTokens: Int
    /// The cache writes with a 1-hour TTL (Anthropic `cache_creation.ephemeral_1h_input_tokens`), at most
    /// `cacheWriteTokens`; priced at `cache_write_1h`.
    public var cacheWrite1hTokens: Int
    /// The output tokens spent reasoning (OpenAI `completion_tokens_details.reasoning_tokens`), nil when
    /// not reported. Informational: they are already in `outputTokens` and priced as output.
    public var reasoningTokens: Int?
    /// Server-side web searches the upstream ran (Anthropic `server_tool_use.web_search_requests`): requests,
    /// not tokens, priced per search.
    public var webSearchRequests: Int
    /// The tier that served the request (upstream `service_tier`), nil when not reported.
    public var serviceTier: String?
    /// False when the upstream never reported usage (some OpenAI-compatible servers): the counts are
    /// then zero because nothing is known, not because nothing was spent.
    public var reported: Bool
    /// Why the upstream's report was not trusted (then `reported` is false), for the log; never sent.
    public var problem: String?

    public init(
        inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0,
        cacheWrite1hTokens: Int = 0, reasoningTokens: Int? = nil, webSearchRequests: Int = 0,
        serviceTier: String? = nil, reported: Bool = true, problem: String? = nil
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWrite1hTokens = cacheWrite1hTokens
        self.reasoningTokens = reasoningTokens
        self.webSearchRequests = webSearchRequests
        self.serviceTier = serviceTier
        self.reported = reported
        self.problem = problem
    }

    public static let unreported = Usage(reported: false)

    /// Every token class added up: what a token budget counts.
    public var totalTokens: Int { inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens }

    /// `done.usage`: `cache_write_1h_tokens` and `web_search_requests` only when there were any,
    /// `reasoning_tokens` and `service_tier` only when the upstream reported them.
    public func json(costUSD: Double?) -> JSONValue {
        var fields: [String: JSONValue] = [
            "input_tokens": JSONValue(inputTokens), "output_tokens": JSONValue(outputTokens),
            "cache_read_tokens": JSONValue(cacheReadTokens), "cache_write_tokens": JSONValue(cacheWriteTokens),
            "cost_usd": JSONValue(costUSD), "reported": .bool(reported),
        ]
        if cacheWrite1hTokens > 0 { fields["cache_write_1h_tokens"] = JSONValue(cacheWrite1hTokens) }
        if let reasoningTokens { fields["reasoning_tokens"] = JSONValue(reasoningTokens) }
        if webSearchRequests > 0 { fields["web_search_requests"] = JSONValue(webSearchRequests) }
        if let serviceTier { fields["service_tier"] = .string(serviceTier) }
        return .object(fields)
    }
}

/// One try of one (provider, model) candidate, as listed in `done.attempts`.
public struct Attempt: Sendable, Equatable {
    public var provider: String
    public var model: String
    /// nil when the attempt succeeded.
    public var error: ErrorCode?
    public var durationMs: Int

    public init(provider: String, model: String, error: ErrorCode?, durationMs: Int) {
        self.provider = provider
        self.model = model
        self.error = error
        self.durationMs = durationMs
    }

    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "provider": .string(provider), "model": .string(model), "duration_ms": JSONValue(durationMs),
        ]
        if let error { fields["error"] = .string(error.rawValue) }
        return .object(fields)
    }
}

/// Everything a `done` frame reports about a finished completion.
public struct CompletionResult: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var stopReason: StopReason
    public var content: [ContentBlock]
    public var usage: Usage
    public var costUSD: Double?
    public var attempts: [Attempt]
    public var ttftMs: Int?
    public var latencyMs: Int

    public init(
        provider: String, model: String, stopReason: StopReason, content: [ContentBlock], usage: Usage,
        costUSD: Double?, attempts: [Attempt], ttftMs: Int?, latencyMs: Int
    ) {
        self.provider = provider
        self.model = model
        self.stopReason = stopReason
        self.content = content
        self.usage = usage
        self.costUSD = costUSD
        self.attempts = attempts
        self.ttftMs = ttftMs
        self.latencyMs = latencyMs
    }
}
