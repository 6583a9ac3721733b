import SidecarProtocol

/// Prices per model, in USD per million tokens, keyed `provider/model` (the config's `pricing` object).
public struct Pricing: Sendable, Equatable {
    /// USD per million tokens of each class (`pricing["provider/model"]`).
    public struct Price: Sendable, Equatable {
        public var input: Double
        public var output: Double
        /// Defaults to `input`.
        public var cacheRead: Double
        /// Defaults to `input`.
        public var cacheWrite: Double

        public init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil) {
            self.input = input
            self.output = output
            self.cacheRead = cacheRead ?? input
            self.cacheWrite = cacheWrite ?? input
        }
    }

    public var prices: [String: Price]

    public init(prices: [String: Price] = [:]) { self.prices = prices }

    public func price(provider: String, model: String) -> Price? { prices["\(provider)/\(model)"] }

    /// The cost of `usage`, or nil when the model has no price or the upstream reported no usage:
    /// an unknown cost is never reported as 0.
    public func cost(provider: String, model: String, usage: Usage) -> Double? {
        guard usage.reported, let price = price(provider: provider, model: model) else { return nil }
        let micro =
            Double(usage.inputTokens) * price.input + Double(usage.outputTokens) * price.output
            + Double(usage.cacheReadTokens) * price.cacheRead + Double(usage.cacheWriteTokens) * price.cacheWrite
        return micro / 1_000_000
    }
}
