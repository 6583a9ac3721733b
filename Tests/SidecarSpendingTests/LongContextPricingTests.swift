import SidecarProtocol
import SidecarSpending
import Testing

/// `long_context`: a prompt above the threshold prices the whole request at the long-context prices.
struct LongContextPricingTests {
    static let pricing = Pricing(prices: [
        "a/m": .init(
            input: 3, output: 15, webSearchPer1000: 10,
            longContext: .init(aboveInputTokens: 200_000, input: 6, output: 22.5))
    ])

    static func cost(_ usage: Usage) -> Double? { pricing.cost(provider: "a", model: "m", usage: usage) }

    /// A prompt of exactly the threshold is the base tier; one token more is the long-context tier, for output too.
    @Test func thresholdIsExclusive() {
        let at = Self.cost(Usage(inputTokens: 200_000, outputTokens: 1000))
        #expect(at.map { abs($0 - (0.2 * 3 + 0.001 * 15)) < 1e-12 } == true)
        let above = Self.cost(Usage(inputTokens: 200_001, outputTokens: 1000))
        #expect(above.map { abs($0 - (0.200001 * 6 + 0.001 * 22.5)) < 1e-12 } == true)
        let below = Self.cost(Usage(inputTokens: 199_999, outputTokens: 1000))
        #expect(below.map { abs($0 - (0.199999 * 3 + 0.001 * 15)) < 1e-12 } == true)
    }

    /// Cache reads and writes count toward the prompt (output does not), and take the tier's defaults:
    /// reads at its input price, 5-minute writes at 1.25 ×, 1-hour writes at 2 ×; web searches keep the base price.
    @Test func cachedTokensCountAndDefaultFromTierInput() {
        let usage = Usage(
            inputTokens: 1000, outputTokens: 300_000, cacheReadTokens: 150_000, cacheWriteTokens: 50_000,
            cacheWrite1hTokens: 10_000, webSearchRequests: 2)
        #expect(Pricing.Price.promptTokens(of: usage) == 201_000)
        let expected = 0.001 * 6 + 0.3 * 22.5 + 0.15 * 6 + 0.04 * 7.5 + 0.01 * 12 + 0.02
        #expect(Self.cost(usage).map { abs($0 - expected) < 1e-9 } == true)
        let outputOnly = Self.cost(Usage(inputTokens: 100, outputTokens: 300_000))
        #expect(outputOnly.map { abs($0 - (0.0001 * 3 + 0.3 * 15)) < 1e-12 } == true)
    }

    /// The README's example: a 210,000-token prompt (150,000 input + 60,000 cache read) costs 1.2825 USD.
    @Test func readmeExample() {
        let cost = Self.cost(Usage(inputTokens: 150_000, outputTokens: 1000, cacheReadTokens: 60_000))
        #expect(cost.map { abs($0 - 1.2825) < 1e-12 } == true)
    }

    /// Explicit long-context cache prices override the defaults.
    @Test func explicitTierCachePrices() {
        let long = Pricing.LongContext(aboveInputTokens: 10, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7)
        #expect(long.cacheRead == 0.6 && long.cacheWrite == 7 && long.cacheWrite1h == 12)
        let price = Pricing.Price(input: 3, output: 15, longContext: long).forPrompt(tokens: 11)
        #expect(price == Pricing.Price(input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7, cacheWrite1h: 12))
    }

    /// The reservation uses the tier its input estimate falls in.
    @Test func reservationUsesTier() {
        let price = Self.pricing.price(provider: "a", model: "m")
        let small = CompletionRequest(id: "1", messages: [Message(role: .user, content: [.text("abcd")])])
        let large = CompletionRequest(
            id: "2", messages: [Message(role: .user, content: [.text(String(repeating: "abcd", count: 200_001))])])
        let smallCost = ReservationEstimate(request: small, maxTokens: 1000, price: price).costUSD
        #expect(smallCost.map { abs($0 - (1 * 3.0 + 1000 * 15.0) / 1e6) < 1e-12 } == true)
        let largeCost = ReservationEstimate(request: large, maxTokens: 1000, price: price).costUSD
        #expect(largeCost.map { abs($0 - (200_001 * 6.0 + 1000 * 22.5) / 1e6) < 1e-12 } == true)
    }
}
