/// An agent's limits (the config's `agents.<name>.budget`). nil fields are unlimited.
public struct Budget: Sendable, Equatable {
    /// Input + output + cache read + cache write tokens per UTC day.
    public var tokensPerDay: Int?
    /// Priced spending per UTC day; unpriced requests count only against `tokensPerDay`.
    public var usdPerDay: Double?
    /// Admitted requests per sliding minute.
    public var requestsPerMinute: Int?

    public init(tokensPerDay: Int? = nil, usdPerDay: Double? = nil, requestsPerMinute: Int? = nil) {
        self.tokensPerDay = tokensPerDay
        self.usdPerDay = usdPerDay
        self.requestsPerMinute = requestsPerMinute
    }

    public var isUnlimited: Bool { tokensPerDay == nil && usdPerDay == nil && requestsPerMinute == nil }
}
