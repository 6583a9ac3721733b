import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

/// Cache writes split by TTL, reasoning tokens, web searches and the service tier, from an upstream's hand-written
/// stream through `done.usage`, the price and the ledger (read back with a `usage` query and an export).
@Suite(.serialized)
struct BillingUsageTests {
    let upstream = SimulatedUpstream()
    let fixture: SidecarFixture

    init() throws {
        upstream.defaultPacingMilliseconds = 0
        let port = try upstream.start()
        fixture = try SidecarFixture(
            providers: """
                [{"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
                  "api_key_env": "TEST_ANTHROPIC_KEY", "models": ["claude-test"], "max_retries": 0,
                  "health_check": {"enabled": false}},
                 {"name": "openai", "kind": "openai", "base_url": "http://127.0.0.1:\(port)/v1",
                  "api_key_env": "TEST_OPENAI_KEY", "models": ["gpt-test"], "max_retries": 0,
                  "health_check": {"enabled": false}}]
                """,
            agents: """
                {"default": {"models": ["anthropic/claude-test"]}, "reasoner": {"models": ["openai/gpt-test"]}}
                """,
            extra: #""pricing": {"anthropic/claude-test": {"input": 3, "output": 15}}"#,
            environment: ["TEST_ANTHROPIC_KEY": "sk-ant-test-key", "TEST_OPENAI_KEY": "sk-test-key"])
    }

    func ask(_ id: String, agent: String? = nil) throws -> JSONValue {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete(id, "Hello", agent: agent))
        return try client.collect(id).terminal
    }

    func sse(_ events: [(String?, String)]) -> Behaviour {
        let body = events.map { ($0.0.map { "event: \($0)\n" } ?? "") + "data: \($0.1)\n\n" }.joined()
        return .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body)
    }

    @Test func cacheWritesByTTLAndReasoningReachDoneAndLedger() throws {
        upstream.enqueue(
            AnthropicTextStream.behaviour(
                startUsage: #""input_tokens":10,"output_tokens":1,"cache_read_input_tokens":0,"#
                    + #""cache_creation_input_tokens":3000,"#
                    + #""cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000}"#,
                deltaUsage: #""output_tokens":20"#))
        let cached = try ask("cached")
        #expect(cached["type"] == "done")
        #expect(cached["usage"]?["cache_write_tokens"] == 3000)
        #expect(cached["usage"]?["cache_write_1h_tokens"] == 2000)
        #expect(cached["usage"]?["reasoning_tokens"] == nil)
        // 10 × 3 + 20 × 15 + 1000 × 3.75 (5-minute writes) + 2000 × 6 (1-hour writes), per million.
        #expect(cached["usage"]?["cost_usd"]?.doubleValue.map { abs($0 - 0.01608) < 1e-12 } == true)

        upstream.enqueue(
            sse([
                (nil, #"{"id":"c1","choices":[{"index":0,"delta":{"content":"42"},"finish_reason":null}]}"#),
                (nil, #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
                (
                    nil,
                    #"{"id":"c1","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":50,"#
                        + #""completion_tokens_details":{"reasoning_tokens":44}}}"#
                ),
                (nil, "[DONE]"),
            ]))
        let reasoned = try ask("reasoned", agent: "reasoner")
        #expect(reasoned["type"] == "done")
        #expect(reasoned["usage"]?["output_tokens"] == 50)
        #expect(reasoned["usage"]?["reasoning_tokens"] == 44)
        #expect(reasoned["usage"]?["cache_write_1h_tokens"] == nil)

        let report = try fixture.connect().request(["type": "usage", "id": "u", "group_by": "agent"])["report"]
        #expect(report?["totals"]?["cache_write_tokens"] == 3000)
        #expect(report?["totals"]?["cache_write_1h_tokens"] == 2000)
        #expect(report?["totals"]?["reasoning_tokens"] == 44)
        let rows = report?["rows"]?.arrayValue ?? []
        #expect(rows.first { $0["key"] == "reasoner" }?["reasoning_tokens"] == 44)
        #expect(rows.first { $0["key"] == "default" }?["cache_write_1h_tokens"] == 2000)
    }

    @Test func webSearchesAndServiceTierReachDoneAndLedger() throws {
        upstream.enqueue(
            AnthropicTextStream.behaviour(
                text: "Sunny", startUsage: #""input_tokens":100,"output_tokens":1,"service_tier":"priority""#,
                deltaUsage: #""output_tokens":50,"server_tool_use":{"web_search_requests":2}"#))
        let done = try ask("searched")
        #expect(done["type"] == "done")
        #expect(done["usage"]?["web_search_requests"] == 2)
        #expect(done["usage"]?["service_tier"] == "priority")
        // 100 × 3 + 50 × 15 per million, plus 2 searches at the Anthropic default of 10 USD per 1000.
        #expect(done["usage"]?["cost_usd"]?.doubleValue.map { abs($0 - 0.02105) < 1e-12 } == true)

        let totals = try fixture.connect().request(["type": "usage", "id": "u"])["report"]?["totals"]
        #expect(totals?["web_search_requests"] == 2)
        #expect(totals?["total_tokens"] == 150)
        let export = try CommandRun(["usage", "export", "--ledger", fixture.ledgerPath, "--format", "jsonl"])
        #expect(export.stdout.contains(#""service_tier":"priority""#), "\(export.stdout)")
    }
}
