import SidecarProtocol
import SidecarTestSupport
import Testing

/// `ServerMessage` encodes to exactly the shapes of proto-spec/vectors/messages/server.json.
@Suite struct ServerMessageTests {
    static let usage = Usage(inputTokens: 12, outputTokens: 48)
    static let servers = (name: "provider-sidecar", version: "0.1.0")
    /// The ledger's totals object, as `usage` reports carry it.
    static let totals: JSONValue = [
        "requests": 3, "input_tokens": 36, "output_tokens": 144, "cache_read_tokens": 0, "cache_write_tokens": 0,
        "total_tokens": 180, "cost_usd": nil, "unpriced_requests": 3, "unreported_requests": 0,
    ]

    /// The values behind each vector of server.json, by vector name.
    static let values: [String: ServerMessage] = [
        "hello": .hello(
            id: nil, server: servers.name, version: servers.version, agent: nil,
            models: ["anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini"], maxFrame: 8_388_608),
        "hello_bound": .hello(
            id: "h1", server: servers.name, version: servers.version, agent: "coder",
            models: ["sim/sim-small"], maxFrame: 1_048_576),
        "chunk_text": .chunk(id: "r1", seq: 0, delta: .text("Hel")),
        "chunk_tool_use": .chunk(
            id: "r1", seq: 3, delta: .toolUse(index: 1, toolUseID: "toolu_1", name: "get_weather")),
        "chunk_tool_input": .chunk(id: "r1", seq: 4, delta: .toolInput(index: 1, partialJSON: #"{"city": "Par"#)),
        "chunk_thinking": .chunk(id: "r6", seq: 0, delta: .thinking("Need the ")),
        "chunk_signature": .chunk(id: "r6", seq: 2, delta: .signature("EqQBCkgIARABGAI=")),
        "chunk_redacted_thinking": .chunk(
            id: "r6", seq: 3, delta: .redactedThinking(data: "EmwKAhgBEgy3va3pzix/LafPsn4=")),
        "done_thinking": .done(
            id: "r6",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-5", stopReason: .toolUse,
                content: [
                    .thinking(text: "Need the clock.", signature: "EqQBCkgIARABGAI="),
                    .redactedThinking(data: "EmwKAhgBEgy3va3pzix/LafPsn4="),
                    .toolUse(id: "toolu_1", name: "now", input: [:]),
                ],
                usage: usage, costUSD: 0.000756,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-5", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "done_text": .done(
            id: "r1",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-5", stopReason: .endTurn,
                content: [.text("Hello there.")],
                usage: usage, costUSD: 0.000756,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-5", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "done_tool_use_after_failover": .done(
            id: "r2",
            CompletionResult(
                provider: "openai", model: "gpt-4o-mini", stopReason: .toolUse,
                content: [.text("Checking."), .toolUse(id: "call_1", name: "get_weather", input: ["city": "Paris"])],
                usage: .unreported, costUSD: nil,
                attempts: [
                    Attempt(provider: "anthropic", model: "claude-sonnet-4-5", error: .rateLimited, durationMs: 35),
                    Attempt(provider: "openai", model: "gpt-4o-mini", error: nil, durationMs: 640),
                ],
                ttftMs: nil, latencyMs: 690)),
        "done_tool_use_truncated": .done(
            id: "r5",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-5", stopReason: .maxTokens,
                content: [
                    .toolUse(id: "toolu_1", name: "list_files", input: [:]),
                    .incompleteToolUse(
                        id: "toolu_2", name: "write_file", partialJSON: #"{"path": "notes.txt", "text": "Dear"#),
                ],
                usage: usage, costUSD: 0.000756,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-5", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "done_stop_sequence": .done(
            id: "r6",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-5",
                stopReason: StopReason(rawValue: "stop_sequence", stopSequence: "\n\nEND"),
                content: [.text("Hello there.")], usage: usage, costUSD: 0.000756,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-5", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "done_cache_write_1h": .done(
            id: "r8",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-6", stopReason: .endTurn,
                content: [.text("Hello there.")],
                usage: Usage(inputTokens: 12, outputTokens: 48, cacheWriteTokens: 2000, cacheWrite1hTokens: 1500),
                costUSD: 0.011631,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-6", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "done_reasoning_tokens": .done(
            id: "r9",
            CompletionResult(
                provider: "openai", model: "gpt-5", stopReason: .endTurn, content: [.text("42")],
                usage: Usage(inputTokens: 20, outputTokens: 900, reasoningTokens: 768), costUSD: 0.009025,
                attempts: [Attempt(provider: "openai", model: "gpt-5", error: nil, durationMs: 3120)],
                ttftMs: 2950, latencyMs: 3124)),
        "done_web_search": .done(
            id: "r10",
            CompletionResult(
                provider: "anthropic", model: "claude-sonnet-4-6", stopReason: .endTurn,
                content: [.text("It is sunny.")],
                usage: Usage(inputTokens: 15000, outputTokens: 800, webSearchRequests: 2, serviceTier: "standard"),
                costUSD: 0.077,
                attempts: [Attempt(provider: "anthropic", model: "claude-sonnet-4-6", error: nil, durationMs: 9200)],
                ttftMs: 4100, latencyMs: 9210)),
        "done_unknown_stop_reason": .done(
            id: "r7",
            CompletionResult(
                provider: "deepseek", model: "deepseek-chat",
                stopReason: StopReason(rawValue: "insufficient_system_resource"), content: [.text("Hel")],
                usage: usage, costUSD: nil,
                attempts: [Attempt(provider: "deepseek", model: "deepseek-chat", error: nil, durationMs: 812)],
                ttftMs: 240, latencyMs: 815)),
        "error_no_id": .error(id: nil, SidecarError(.badRequest, "message is not valid JSON")),
        "error_partial_retry_after": .error(
            id: "r3", SidecarError(.rateLimited, "anthropic: rate limited", partial: true, retryAfterMs: 2000)),
        "error_cancelled": .error(id: "r4", SidecarError(.cancelled, "cancelled by client")),
        "usage": .usage(
            id: "u1",
            [
                "query": ["group_by": "agent", "since": "2026-11-01T00:00:00Z"], "group_by": "agent", "totals": totals,
                "rows": [totals.merging(["key": "coder"])],
            ]),
        "status": .status(
            id: "s1",
            [
                "sidecar": [
                    "name": "provider-sidecar", "version": "0.1.0", "uptime_s": 74, "connections": 1, "in_flight": 0,
                    "phase": "running",
                ],
                "providers": [
                    [
                        "name": "sim", "kind": "simulated", "state": "closed", "open_until": nil,
                        "consecutive_failures": 0, "last_error": nil, "last_success": "2026-11-25T10:15:04Z",
                        "in_flight": 0, "health_check": ["ok": true, "latency_ms": 0, "at": "2026-11-25T10:15:04Z"],
                    ]
                ],
                "ledger": ["state": "ok"],
            ]),
        "pong": .pong(id: "p1"),
    ]

    static let vectors: [JSONValue] = (try? ProtoSpec.vectors("vectors/messages/server.json")) ?? []

    /// Every server.json vector has a value here, and the value's payload parses back to the vector's object.
    @Test func encodesEveryVector() throws {
        #expect(!Self.vectors.isEmpty)
        #expect(Set(Self.vectors.compactMap { $0["name"]?.stringValue }) == Set(Self.values.keys))
        for vector in Self.vectors {
            let name = vector["name"]?.stringValue ?? "?"
            let message = try #require(Self.values[name], "no value for \(name)")
            #expect(try JSONValue.parse(message.payload) == vector["message"], "\(name)")
        }
    }

    /// Payloads are compact single-line JSON starting with `type` then `id`, so they fit line mode as is.
    @Test func payloadsAreCompactAndOrdered() {
        for (name, message) in Self.values {
            let text = String(decoding: message.payload, as: UTF8.self)
            #expect(!text.contains("\n"), "\(name)")
            #expect(text.hasPrefix(#"{"type":"#), "\(name)")
            #expect(text.contains(#"","id":"#), "\(name)")
        }
    }
}

extension JSONValue {
    /// This object with `other`'s members added (test convenience).
    fileprivate func merging(_ other: [String: JSONValue]) -> JSONValue {
        .object((objectValue ?? [:]).merging(other) { _, new in new })
    }
}
