import SidecarProtocol

/// The counts of one upstream usage report, read from a vendor's JSON; nil is a count not reported.
struct UpstreamUsage: Sendable, Equatable {
    var input: Int?
    var output: Int?
    var cacheRead: Int?
    /// Every cache write, whatever its TTL.
    var cacheWrite: Int?
    /// The part of `cacheWrite` with a 1-hour TTL.
    var cacheWrite1h: Int?
    /// The part of `output` spent reasoning.
    var reasoning: Int?
    /// Server-side web searches run (Anthropic `server_tool_use.web_search_requests`), priced per search.
    var webSearches: Int?
    /// The tier that served the request (`standard`, `priority`, `batch`, `flex`...), a plain name.
    var serviceTier: String?
    /// Counts present but not integers (`TokenCounts`).
    var malformed: [String] = []

    /// Anthropic `usage`: `input_tokens` (uncached), `output_tokens`, `cache_read_input_tokens`,
    /// `cache_creation_input_tokens` (all writes) and its split `cache_creation.ephemeral_5m_input_tokens` /
    /// `ephemeral_1h_input_tokens`. A report with only the split has its writes added up from it. Also
    /// `server_tool_use.web_search_requests` and `service_tier` (through `text`, like every upstream name).
    static func anthropic(_ usage: JSONValue, text: UpstreamText) -> UpstreamUsage {
        var counts = TokenCounts(usage)
        let write5m = counts.count("cache_creation", "ephemeral_5m_input_tokens")
        let write1h = counts.count("cache_creation", "ephemeral_1h_input_tokens")
        let split = write5m == nil && write1h == nil ? nil : (write5m ?? 0) + (write1h ?? 0)
        return UpstreamUsage(
            input: counts.count("input_tokens"), output: counts.count("output_tokens"),
            cacheRead: counts.count("cache_read_input_tokens"),
            cacheWrite: counts.count("cache_creation_input_tokens") ?? split, cacheWrite1h: write1h,
            webSearches: counts.count("server_tool_use", "web_search_requests"),
            serviceTier: usage["service_tier"]?.stringValue.map(text.name), malformed: counts.malformed)
    }

    /// OpenAI `usage`: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`, which are taken out
    /// (the sidecar's input excludes cached input); `completion_tokens_details.reasoning_tokens` are part of
    /// `completion_tokens`. OpenAI does not report cache writes. `tier` is the answer's top-level
    /// `service_tier`. A report whose cached count exceeds its prompt
    /// count gives a negative input, which the server refuses as implausible.
    static func openAI(_ usage: JSONValue, tier: JSONValue?, text: UpstreamText) -> UpstreamUsage {
        var counts = TokenCounts(usage)
        let cached = counts.count("prompt_tokens_details", "cached_tokens")
        let prompt = counts.count("prompt_tokens")
        return UpstreamUsage(
            input: prompt.map { $0 - (cached ?? 0) }, output: counts.count("completion_tokens"), cacheRead: cached,
            reasoning: counts.count("completion_tokens_details", "reasoning_tokens"),
            serviceTier: tier?.stringValue.map(text.name), malformed: counts.malformed)
    }
}
