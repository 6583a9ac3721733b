/// One agent (`agents.NAME`): what it may use and how much it may spend.
public struct AgentConfig: Sendable, Equatable {
    /// Limits over the UTC day (tokens, USD) and a rolling minute (requests). Nil fields are unlimited.
    public struct Budget: Sendable, Equatable {
        /// Input + output + cache read + cache write tokens per UTC day.
        public var tokensPerDay: Int?
        public var usdPerDay: Double?
        public var requestsPerMinute: Int?

        public init(tokensPerDay: Int? = nil, usdPerDay: Double? = nil, requestsPerMinute: Int? = nil) {
            self.tokensPerDay = tokensPerDay
            self.usdPerDay = usdPerDay
            self.requestsPerMinute = requestsPerMinute
        }
    }

    /// The ordered failover chain as written: `provider/model`, aliases or bare model names. Empty means
    /// "the default agent's chain, no restriction" (never empty for `default`). `Config.chain(forAgent:)`
    /// gives the resolved candidates.
    public var models: [String]
    /// Caps the request's `max_tokens` (and is used when the request gives none).
    public var maxTokens: Int?
    public var budget: Budget?

    public init(models: [String], maxTokens: Int? = nil, budget: Budget? = nil) {
        self.models = models
        self.maxTokens = maxTokens
        self.budget = budget
    }
}
