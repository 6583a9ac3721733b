import SidecarProtocol

/// Prices per model, in USD per million tokens, keyed `provider/model` (the config's `pricing` object).
public struct Pricing: Sendable, Equatable {
    /// USD per million tokens of each class (`pricing["provider/model"]`).
    public struct Price: Sendable, Equatable {
        public var input: Double
        public var output: Double
        /// Defaults to `input`.
        public var cacheRead: Double
        /// 5-minute cache writes (and writes whose TTL the upstream did not say); defaults to 1.25 × `input`,
        /// what Anthropic charges.
        public var cacheWrite: Double
        /// 1-hour cache writes; defaults to 2 × `input`, what Anthropic charges.
        public var cacheWrite1h: Double
        /// USD per 1000 server-side web searches (not per million tokens). Defaults to 0 here; the config gives
        /// models of an Anthropic provider Anthropic's 10 (only Anthropic reports searches in its usage).
        public var webSearchPer1000: Double
        /// The token prices of requests with long prompts (`long_context`), nil when the model has one price.
        public var longContext: LongContext?

        public init(
            input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil,
            cacheWrite1h: Double? = nil, webSearchPer1000: Double = 0, longContext: LongContext? = nil
        ) {
            self.input = input
            self.output = output
            self.cacheRead = cacheRead ?? input
            self.cacheWrite = cacheWrite ?? input * 1.25
            self.cacheWrite1h = cacheWrite1h ?? input * 2
            self.webSearchPer1000 = webSearchPer1000
            self.longContext = longContext
        }
    }

    public var prices: [String: Price]

    public init(prices: [String: Price] = [:]) { self.prices = prices }

    public func price(provider: String, model: String) -> Price? { prices["\(provider)/\(model)"] }

    /// The cost of `usage`, or nil when the model has no price or the upstream reported no usage:
    /// an unknown cost is never reported as 0. Cache writes are 5-minute writes except their 1-hour part;
    /// reasoning tokens are output tokens and priced as such; web searches are priced per search. A prompt
    /// above the model's `long_context` threshold prices every token of the request at the long-context prices.
    public func cost(provider: String, model: String, usage: Usage) -> Double? {
        guard usage.reported, let base = price(provider: provider, model: model) else { return nil }
        let price = base.forPrompt(tokens: Price.promptTokens(of: usage))
        let write1h = min(usage.cacheWrite1hTokens, usage.cacheWriteTokens)
        let micro =
            Double(usage.inputTokens) * price.input + Double(usage.outputTokens) * price.output
            + Double(usage.cacheReadTokens) * price.cacheRead
            + Double(usage.cacheWriteTokens - write1h) * price.cacheWrite + Double(write1h) * price.cacheWrite1h
        return micro / 1_000_000 + Double(usage.webSearchRequests) * price.webSearchPer1000 / 1000
    }
}
