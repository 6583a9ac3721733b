import SidecarProtocol

extension Pricing {
    /// Token prices for requests whose prompt is above `aboveInputTokens` (`pricing[...].long_context`), in USD
    /// per million tokens. Such a request is priced at these for all of its tokens, output included, as
    /// Anthropic prices prompts above 200k tokens; web searches keep the base price.
    public struct LongContext: Sendable, Equatable {
        /// The tier applies to prompts of more than this many tokens (exactly this many is the base tier).
        public var aboveInputTokens: Int
        public var input: Double
        public var output: Double
        /// Defaults to `input`, like the base price's (this tier's `input`, not the base one).
        public var cacheRead: Double
        /// Defaults to 1.25 × `input`.
        public var cacheWrite: Double
        /// Defaults to 2 × `input`.
        public var cacheWrite1h: Double

        public init(
            aboveInputTokens: Int, input: Double, output: Double, cacheRead: Double? = nil,
            cacheWrite: Double? = nil, cacheWrite1h: Double? = nil
        ) {
            self.aboveInputTokens = aboveInputTokens
            self.input = input
            self.output = output
            self.cacheRead = cacheRead ?? input
            self.cacheWrite = cacheWrite ?? input * 1.25
            self.cacheWrite1h = cacheWrite1h ?? input * 2
        }
    }
}

extension Pricing.Price {
    /// The prompt the long-context tier is chosen by: input + cache read + cache write tokens, the whole
    /// context the model read, as Anthropic counts it for its 200k tier (cached tokens are still context;
    /// `inputTokens` excludes them, see `Usage`). Output tokens do not count.
    public static func promptTokens(of usage: Usage) -> Int {
        usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
    }

    /// The prices that apply to a request with a prompt of `tokens`: the long-context ones when the prompt is
    /// above their threshold, else these. The one place the tier is chosen (cost and reservation both ask).
    public func forPrompt(tokens: Int) -> Pricing.Price {
        guard let long = longContext, tokens > long.aboveInputTokens else { return self }
        return Pricing.Price(
            input: long.input, output: long.output, cacheRead: long.cacheRead, cacheWrite: long.cacheWrite,
            cacheWrite1h: long.cacheWrite1h, webSearchPer1000: webSearchPer1000)
    }
}
