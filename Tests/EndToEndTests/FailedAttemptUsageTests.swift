import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

/// The real binary, an Anthropic primary whose stream reports usage and then fails (`FailedAttemptStreams`),
/// and an OpenAI backup: the ledger counts the failed attempt's tokens, `done.usage` only the answer's.
@Suite struct FailedAttemptUsageEndToEndTests {
    let upstream = SimulatedUpstream()
    let fixture: SidecarFixture

    init() throws {
        let port = try upstream.start()
        fixture = try SidecarFixture(
            providers: """
                [{"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
                  "api_key_env": "TEST_ANTHROPIC_KEY", "models": ["claude-test"], "max_retries": 0,
                  "health_check": {"enabled": false}},
                 {"name": "openai", "kind": "openai", "base_url": "http://127.0.0.1:\(port)/v1",
                  "api_key_env": "TEST_OPENAI_KEY", "models": ["gpt-test"], "health_check": {"enabled": false}}]
                """,
            agents: """
                {"default": {"models": ["anthropic/claude-test", "openai/gpt-test"]},
                 "alone": {"models": ["anthropic/claude-test"]}}
                """,
            environment: ["TEST_ANTHROPIC_KEY": "sk-ant-test-key", "TEST_OPENAI_KEY": "sk-test-key"])
        upstream.enqueue(
            .raw(
                status: 200, headers: FailedAttemptStreams.eventStream, body: FailedAttemptStreams.anthropicOverloaded),
            for: [.messages])
    }

    private let failedTokens = FailedAttemptStreams.anthropicTokens

    private func ask(agent: String) throws -> JSONValue {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("r", "Where is the sidecar?", agent: agent))
        return try client.collect("r").terminal
    }

    private func ledgerTotals() throws -> JSONValue {
        let usage = try fixture.connect().request(["type": "usage", "id": "u", "group_by": "agent"])
        return try #require(usage["report"]?["totals"])
    }

    /// Failed over: the row holds the answer's usage plus the failed attempt's, `done` the answer's alone.
    @Test func failoverRowCountsTheFailedAttempt() throws {
        let done = try ask(agent: "default")
        #expect(done["type"] == "done" && done["provider"] == "openai", "\(done)")
        let answered = try #require(done["usage"])
        let totals = try ledgerTotals()
        #expect(totals["requests"] == 1)
        #expect(totals["input_tokens"]?.intValue == (answered["input_tokens"]?.intValue ?? 0) + failedTokens.input)
        #expect(
            totals["output_tokens"]?.intValue == (answered["output_tokens"]?.intValue ?? 0) + failedTokens.output)
        #expect(
            totals["cache_read_tokens"]?.intValue
                == (answered["cache_read_tokens"]?.intValue ?? 0) + failedTokens.cacheRead)
        #expect(totals["cache_write_tokens"]?.intValue == failedTokens.cacheWrite)
    }

    /// A request whose only attempt failed after reporting usage gets a row with that usage.
    @Test func failedRequestRowRecordsItsUsage() throws {
        let terminal = try ask(agent: "alone")
        #expect(terminal["error"]?["code"] == "overloaded", "\(terminal)")
        let totals = try ledgerTotals()
        #expect(totals["requests"] == 1)
        #expect(totals["input_tokens"]?.intValue == failedTokens.input)
        #expect(totals["output_tokens"]?.intValue == failedTokens.output)
        #expect(totals["cache_read_tokens"]?.intValue == failedTokens.cacheRead)
        #expect(totals["cache_write_tokens"]?.intValue == failedTokens.cacheWrite)
    }
}
