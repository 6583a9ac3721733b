/// What one model costs (`pricing["provider/model"]`), in USD per million tokens.
public struct PriceConfig: Sendable, Equatable {
    public var input: Double
    public var output: Double
    /// Defaults to `input` when the config omits it.
    public var cacheRead: Double
    /// Defaults to `input` when the config omits it.
    public var cacheWrite: Double

    public init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead ?? input
        self.cacheWrite = cacheWrite ?? input
    }
}
