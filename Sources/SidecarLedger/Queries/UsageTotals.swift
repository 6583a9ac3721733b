import SidecarProtocol

/// Sums over a set of ledger rows.
public struct UsageTotals: Sendable, Equatable {
    public var requests: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheReadTokens: Int
    public var cacheWriteTokens: Int
    /// The part of `cacheWriteTokens` written with a 1-hour TTL.
    public var cacheWrite1hTokens: Int
    /// The part of `outputTokens` spent reasoning, over the rows that reported it.
    public var reasoningTokens: Int
    /// Server-side web searches (requests, not tokens).
    public var webSearchRequests: Int
    /// Sum over the priced rows; nil when no row in the set had a price.
    public var costUSD: Double?
    /// Rows whose model had no price (their cost is unknown, not zero).
    public var unpricedRequests: Int
    /// Rows whose upstream reported no usage (their tokens are unknown, not zero).
    public var unreportedRequests: Int

    public init(
        requests: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0,
        cacheWriteTokens: Int = 0, costUSD: Double? = nil, unpricedRequests: Int = 0,
        unreportedRequests: Int = 0, cacheWrite1hTokens: Int = 0, reasoningTokens: Int = 0,
        webSearchRequests: Int = 0
    ) {
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWrite1hTokens = cacheWrite1hTokens
        self.reasoningTokens = reasoningTokens
        self.webSearchRequests = webSearchRequests
        self.costUSD = costUSD
        self.unpricedRequests = unpricedRequests
        self.unreportedRequests = unreportedRequests
    }

    /// Input + output + cache read + cache write: what a token budget counts.
    public var totalTokens: Int { inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens }

    public var json: JSONValue {
        [
            "requests": JSONValue(requests), "input_tokens": JSONValue(inputTokens),
            "output_tokens": JSONValue(outputTokens), "cache_read_tokens": JSONValue(cacheReadTokens),
            "cache_write_tokens": JSONValue(cacheWriteTokens), "cache_write_1h_tokens": JSONValue(cacheWrite1hTokens),
            "reasoning_tokens": JSONValue(reasoningTokens), "web_search_requests": JSONValue(webSearchRequests),
            "total_tokens": JSONValue(totalTokens),
            "cost_usd": JSONValue(costUSD), "unpriced_requests": JSONValue(unpricedRequests),
            "unreported_requests": JSONValue(unreportedRequests),
        ]
    }

    public init(json: JSONValue) throws(SidecarError) {
        func int(_ key: String) throws(SidecarError) -> Int {
            guard let n = json[key]?.intValue else { throw SidecarError(.badRequest, "\(key): expected integer") }
            return n
        }
        requests = try int("requests")
        inputTokens = try int("input_tokens")
        outputTokens = try int("output_tokens")
        cacheReadTokens = try int("cache_read_tokens")
        cacheWriteTokens = try int("cache_write_tokens")
        // Absent from an older sidecar's report.
        cacheWrite1hTokens = json["cache_write_1h_tokens"]?.intValue ?? 0
        reasoningTokens = json["reasoning_tokens"]?.intValue ?? 0
        webSearchRequests = json["web_search_requests"]?.intValue ?? 0
        costUSD = json["cost_usd"]?.doubleValue
        unpricedRequests = try int("unpriced_requests")
        unreportedRequests = try int("unreported_requests")
    }
}
