import SidecarProtocol
import Testing

@testable import SidecarProviders

/// Cache writes split by TTL, web searches and service tiers (Anthropic), reasoning tokens and service tiers
/// (OpenAI), from hand-written reports.
@Suite struct UsageParsingTests {
    private static let errors = UpstreamError(provider: "p", kind: "test", secret: Secret("sk-test-key"))

    private static func usage(_ report: UpstreamUsage) -> Usage {
        var accumulator = UsageAccumulator()
        accumulator.merge(report)
        return accumulator.usage
    }

    private static func anthropic(_ json: String) throws -> Usage {
        try usage(.anthropic(JSONValue.parse(Array(json.utf8)), text: errors.text))
    }

    private static func openAI(_ json: String, tier: JSONValue? = nil) throws -> Usage {
        try usage(.openAI(JSONValue.parse(Array(json.utf8)), tier: tier, text: errors.text))
    }

    /// The split's 1-hour part is recorded; `cache_write_tokens` stays every write.
    @Test func anthropicSplitByTTL() throws {
        let usage = try Self.anthropic(
            #"{"input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":700,"#
                + #""cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":500}}"#)
        #expect(usage == Usage(inputTokens: 10, outputTokens: 5, cacheWriteTokens: 700, cacheWrite1hTokens: 500))
    }

    /// Without the split every write counts as a 5-minute write.
    @Test func anthropicWithoutSplit() throws {
        let usage = try Self.anthropic(#"{"input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":700}"#)
        #expect(usage == Usage(inputTokens: 10, outputTokens: 5, cacheWriteTokens: 700))
    }

    /// A report with only the split (a compatible backend) has its writes added up from it.
    @Test func anthropicSplitOnly() throws {
        let usage = try Self.anthropic(
            #"{"input_tokens":1,"cache_creation":{"ephemeral_5m_input_tokens":30,"ephemeral_1h_input_tokens":12}}"#)
        #expect(usage == Usage(inputTokens: 1, cacheWriteTokens: 42, cacheWrite1hTokens: 12))
    }

    /// More 1-hour writes than writes in total: the total is raised, never a negative 5-minute count.
    @Test func oneHourWritesBoundTheTotal() throws {
        let usage = try Self.anthropic(
            #"{"cache_creation_input_tokens":5,"cache_creation":{"ephemeral_1h_input_tokens":9}}"#)
        #expect(usage.cacheWriteTokens == 9 && usage.cacheWrite1hTokens == 9)
    }

    /// A split count that is not an integer makes the report untrusted, like any other count.
    @Test func malformedSplitIsNotTrusted() throws {
        let usage = try Self.anthropic(#"{"input_tokens":1,"cache_creation":{"ephemeral_1h_input_tokens":"12"}}"#)
        #expect(!usage.reported)
        #expect(usage.problem?.contains("cache_creation.ephemeral_1h_input_tokens") == true)
    }

    /// OpenAI reasoning tokens are recorded and stay inside the output count.
    @Test func openAIReasoningTokens() throws {
        let usage = try Self.openAI(
            #"{"prompt_tokens":100,"completion_tokens":40,"prompt_tokens_details":{"cached_tokens":60},"#
                + #""completion_tokens_details":{"reasoning_tokens":32}}"#)
        #expect(usage == Usage(inputTokens: 40, outputTokens: 40, cacheReadTokens: 60, reasoningTokens: 32))
    }

    /// No reasoning count reported: nil, not 0.
    @Test func openAIWithoutReasoning() throws {
        #expect(try Self.openAI(#"{"prompt_tokens":3,"completion_tokens":2}"#).reasoningTokens == nil)
    }

    /// Through the Anthropic stream folder: `message_start` carries the split, `message_delta` the output.
    @Test func anthropicStreamKeepsSplit() throws {
        var folder = AnthropicStreamFolder(errors: Self.errors, stopSequences: [])
        let start =
            #"{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"#
            + #""model":"c","stop_reason":null,"usage":{"input_tokens":4,"output_tokens":1,"#
            + #""cache_creation_input_tokens":50,"cache_creation":{"ephemeral_5m_input_tokens":20,"#
            + #""ephemeral_1h_input_tokens":30}}}}"#
        var events = try folder.fold(event: "message_start", data: start)
        events += try folder.fold(
            event: "message_delta",
            data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"#)
        events += try folder.fold(event: "message_stop", data: #"{"type":"message_stop"}"#)
        let expected = Usage(inputTokens: 4, outputTokens: 9, cacheWriteTokens: 50, cacheWrite1hTokens: 30)
        #expect(events.last == .stop(.endTurn))
        #expect(events.contains(.usage(expected)))
    }

    /// Through the OpenAI stream folder: the usage chunk's reasoning count reaches the final usage.
    @Test func openAIStreamKeepsReasoning() throws {
        var folder = OpenAIStreamFolder(errors: Self.errors)
        var events = try folder.fold(
            event: nil,
            data: #"{"id":"c","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":null}"#)
        events += try folder.fold(
            event: nil,
            data: #"{"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"#
                + #""completion_tokens_details":{"reasoning_tokens":6}}}"#)
        events += try folder.fold(event: nil, data: "[DONE]")
        #expect(events.contains(.usage(Usage(inputTokens: 5, outputTokens: 7, reasoningTokens: 6))))
    }

    /// Anthropic server-tool use: web searches are counted (requests, not tokens), with the service tier.
    @Test func anthropicWebSearchesAndTier() throws {
        let usage = try Self.anthropic(
            #"{"input_tokens":900,"output_tokens":80,"server_tool_use":{"web_search_requests":3},"#
                + #""service_tier":"priority"}"#)
        #expect(
            usage == Usage(inputTokens: 900, outputTokens: 80, webSearchRequests: 3, serviceTier: "priority"))
        #expect(usage.totalTokens == 980)
    }

    /// A tier that is not a plain name, or that holds a piece of the key, is not passed on as is.
    @Test func serviceTierIsAnUpstreamName() throws {
        #expect(try Self.anthropic(#"{"input_tokens":1,"service_tier":"Tier One!"}"#).serviceTier == "unknown")
        #expect(try Self.anthropic(#"{"input_tokens":1,"service_tier":"sk-test-key"}"#).serviceTier == "unknown")
    }

    /// OpenAI says the tier at the top of the answer, beside `usage`.
    @Test func openAIServiceTier() throws {
        let usage = try Self.openAI(#"{"prompt_tokens":3,"completion_tokens":2}"#, tier: "default")
        #expect(usage.serviceTier == "default")
    }
}
