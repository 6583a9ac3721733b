import SidecarProtocol
import SidecarSpending
import Testing

struct PricingTests {
    static let pricing = Pricing(prices: [
        "anthropic/claude-test": .init(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75)
    ])

    /// Cost is per million tokens of each class.
    @Test func pricesEveryTokenClass() {
        let usage = Usage(
            inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 1_000_000,
            cacheWriteTokens: 200_000)
        let cost = Self.pricing.cost(provider: "anthropic", model: "claude-test", usage: usage)
        #expect(cost.map { abs($0 - (3 + 1.5 + 0.3 + 0.75)) < 1e-9 } == true)
    }

    /// An unpriced model, or usage the upstream never reported, has an unknown cost (nil), never 0.
    @Test func unknownCostIsNil() {
        #expect(Self.pricing.cost(provider: "openai", model: "gpt-test", usage: Usage(inputTokens: 10)) == nil)
        #expect(Self.pricing.cost(provider: "anthropic", model: "claude-test", usage: .unreported) == nil)
    }

    /// The reservation estimate: ceil(text bytes / 4) + 1600 per image, plus max_tokens; cost at the
    /// input price for the input and the output price for max_tokens.
    @Test func reservationEstimate() {
        let request = CompletionRequest(
            id: "1", system: "12345678",
            messages: [
                Message(role: .user, content: [.text("abcd"), .image(mediaType: "image/png", data: "AAAA")]),
                Message(role: .assistant, content: [.toolUse(id: "t1", name: "ls", input: ["a": 1])]),
                Message(role: .user, content: [.toolResult(toolUseID: "t1", content: [.text("xyz")], isError: false)]),
            ])
        // 8 + 4 + (2 + 2 + 7 for {"a":1}) + (2 + 3) = 28 bytes -> 7 tokens, + 1600 for the image.
        #expect(ReservationEstimate.inputTokens(of: request) == 1607)
        let estimate = ReservationEstimate(
            request: request, maxTokens: 1000,
            price: Self.pricing.price(provider: "anthropic", model: "claude-test"))
        #expect(estimate.tokens == 2607)
        #expect(estimate.costUSD.map { abs($0 - (1607 * 3.0 + 1000 * 15.0) / 1e6) < 1e-12 } == true)
        #expect(ReservationEstimate(request: request, maxTokens: 1000, price: nil).costUSD == nil)
    }
}

extension PricingTests {
    /// Cache prices left out are never 0 (README): reads cost what input costs, 5-minute writes 1.25 × input,
    /// 1-hour writes 2 × input.
    @Test func cachePricesDefault() {
        let price = Pricing.Price(input: 3, output: 15)
        #expect(price.cacheRead == 3 && price.cacheWrite == 3.75 && price.cacheWrite1h == 6)
        let usage = Usage(inputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000)
        let cost = Pricing(prices: ["a/m": price]).cost(provider: "a", model: "m", usage: usage)
        #expect(cost.map { abs($0 - (3 + 3 + 3.75)) < 1e-9 } == true)
    }

    /// The 1-hour part of the cache writes is priced at `cache_write_1h`, the rest at `cache_write`.
    @Test func oneHourCacheWrites() {
        let price = Pricing.Price(input: 3, output: 15, cacheWrite: 4, cacheWrite1h: 7)
        let usage = Usage(cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 400_000)
        let cost = Pricing(prices: ["a/m": price]).cost(provider: "a", model: "m", usage: usage)
        #expect(cost.map { abs($0 - (0.6 * 4 + 0.4 * 7)) < 1e-9 } == true)
    }

    /// Reasoning tokens are already output tokens: they add nothing to the cost.
    @Test func reasoningTokensAreOutput() {
        let pricing = Pricing(prices: ["a/m": .init(input: 1, output: 10)])
        let plain = pricing.cost(provider: "a", model: "m", usage: Usage(outputTokens: 1000))
        let reasoning = pricing.cost(
            provider: "a", model: "m", usage: Usage(outputTokens: 1000, reasoningTokens: 800))
        #expect(plain == reasoning && plain.map { abs($0 - 0.01) < 1e-12 } == true)
    }

    /// Web searches are priced per 1000 searches, on top of the tokens.
    @Test func webSearchesPricedPerThousand() {
        let pricing = Pricing(prices: ["a/m": .init(input: 3, output: 15, webSearchPer1000: 10)])
        let usage = Usage(inputTokens: 1000, webSearchRequests: 4)
        let cost = pricing.cost(provider: "a", model: "m", usage: usage)
        #expect(cost.map { abs($0 - (0.003 + 0.04)) < 1e-12 } == true)
        #expect(Pricing.Price(input: 3, output: 15).webSearchPer1000 == 0)
    }
}
