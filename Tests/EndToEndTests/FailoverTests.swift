import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

/// The real binary with real Anthropic and OpenAI providers over HTTP to a simulated upstream: an agent
/// keeps getting answers while the primary fails in each way, and `status` shows what the registry decided.
@Suite(.serialized)
struct FailoverTests {
    let upstream = SimulatedUpstream()
    let refusing: RefusingPort
    let fixture: SidecarFixture

    init() throws {
        upstream.defaultPacingMilliseconds = 1
        let port = try upstream.start()
        refusing = try RefusingPort()
        fixture = try SidecarFixture(
            providers: """
                [{"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
                  "api_key_env": "TEST_ANTHROPIC_KEY", "models": ["claude-test", "sim-tools", "sim-slow"],
                  "max_retries": 1, "first_byte_timeout_s": 0.5, "health_check": {"enabled": false}},
                 {"name": "openai", "kind": "openai", "base_url": "http://127.0.0.1:\(port)/v1",
                  "api_key_env": "TEST_OPENAI_KEY", "models": ["gpt-test", "gpt-tools"],
                  "health_check": {"enabled": false}},
                 {"name": "nowhere", "kind": "openai", "base_url": "http://127.0.0.1:\(refusing.port)/v1",
                  "models": ["gpt-nowhere"], "max_retries": 0, "health_check": {"enabled": false}}]
                """,
            agents: """
                {"default": {"models": ["anthropic/claude-test", "openai/gpt-test"]},
                 "refused-first": {"models": ["nowhere/gpt-nowhere", "openai/gpt-test"]},
                 "tools": {"models": ["anthropic/sim-tools", "openai/gpt-tools"]},
                 "slow": {"models": ["anthropic/sim-slow"]}}
                """,
            extra: "\"circuit_breaker\": {\"failure_threshold\": 3, \"open_seconds\": 60}",
            environment: [
                "TEST_ANTHROPIC_KEY": "sk-ant-test-key", "TEST_OPENAI_KEY": "sk-test-key",
                "PROVIDER_SIDECAR_LOG_LEVEL": "debug",
            ])
    }

    func ask(_ id: String, agent: String? = nil, model: String? = nil) throws -> (
        chunks: [JSONValue], terminal: JSONValue
    ) {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete(id, "Where is the sidecar?", model: model, agent: agent))
        return try client.collect(id)
    }

    static func attempts(_ terminal: JSONValue) -> [String] {
        (terminal["attempts"]?.arrayValue ?? []).map {
            "\($0["provider"]?.stringValue ?? "?"):\($0["error"]?.stringValue ?? "ok")"
        }
    }

    /// A healthy primary answers with streamed text and exact usage; the request reached Anthropic's API shape.
    @Test func primaryAnswers() throws {
        let (chunks, done) = try ask("ok")
        #expect(done["type"] == "done")
        #expect(done["provider"] == "anthropic")
        #expect(!chunks.isEmpty)
        #expect((done["usage"]?["input_tokens"]?.intValue ?? 0) > 0)
        let request = try #require(upstream.requests().last)
        #expect(request.path == "/v1/messages")
        #expect(request.header("x-api-key") == "sk-ant-test-key")
    }

    /// Retryable upstream failures (529, 500) are retried, then fail over to the next candidate.
    @Test(arguments: [529, 500])
    func retryableStatusFailsOver(_ status: Int) throws {
        upstream.enqueue(.status(status), count: 2)
        let (_, done) = try ask("s\(status)")
        #expect(done["provider"] == "openai", "\(done)")
        let code = status == 529 ? "overloaded" : "upstream_error"
        #expect(Self.attempts(done) == ["anthropic:\(code)", "anthropic:\(code)", "openai:ok"])
    }

    /// 429 with retry-after is retried on the same provider, which then answers.
    @Test func rateLimitedIsRetriedOnSameProvider() throws {
        upstream.enqueue(.status(429, retryAfter: "0"), count: 1)
        let (_, done) = try ask("r429")
        #expect(done["provider"] == "anthropic")
        #expect(Self.attempts(done) == ["anthropic:rate_limited", "anthropic:ok"])
    }

    /// 401 skips straight to the next candidate (a bad key is not retried).
    @Test func authFailureSkipsToNextCandidate() throws {
        upstream.enqueue(.status(401), count: 1)
        let (_, done) = try ask("r401")
        #expect(done["provider"] == "openai")
        #expect(Self.attempts(done) == ["anthropic:upstream_error", "openai:ok"])
    }

    /// 400 ends the request at once: another provider would not fix a malformed request.
    @Test func requestErrorDoesNotFailOver() throws {
        upstream.enqueue(.status(400), count: 1)
        let (_, terminal) = try ask("r400")
        #expect(terminal["error"]?["code"] == "bad_request")
        #expect(Self.attempts(terminal).isEmpty || Self.attempts(terminal) == ["anthropic:bad_request"])
        #expect(upstream.requests().filter { $0.endpoint == .chatCompletions }.isEmpty)
    }

    /// An upstream that never answers times out (first-byte limit) and the request fails over.
    @Test func hangingUpstreamTimesOutAndFailsOver() throws {
        upstream.enqueue(.hang, count: 2)
        let (_, done) = try ask("hang")
        #expect(done["provider"] == "openai")
        #expect(Self.attempts(done).first == "anthropic:timeout")
    }

    /// Connection refused is retryable and fails over.
    @Test func connectionRefusedFailsOver() throws {
        let (_, done) = try ask("refused", agent: "refused-first")
        #expect(done["provider"] == "openai")
        #expect(Self.attempts(done) == ["nowhere:upstream_error", "openai:ok"])
    }

    /// A stream cut after content is never failed over: `upstream_interrupted`, `partial: true`.
    @Test func cutAfterContentIsInterruptedNotFailedOver() throws {
        upstream.enqueue(.abortAfter(events: 5), count: 1)
        let (chunks, terminal) = try ask("cut")
        #expect(!chunks.isEmpty)
        #expect(terminal["error"]?["code"] == "upstream_interrupted")
        #expect(terminal["error"]?["partial"] == true)
    }

    /// Tool calls stream through both kinds of provider; `done` carries the parsed input.
    @Test(arguments: ["anthropic/sim-tools", "openai/gpt-tools"])
    func toolUseThroughBothProviders(_ model: String) throws {
        if model.hasPrefix("openai") {
            upstream.enqueue(
                .reply(
                    Reply(
                        text: "Checking.", toolCalls: [.init(name: "get_weather", inputJSON: "{\"city\":\"Lisbon\"}")])),
                count: 1)
        }
        let (chunks, done) = try ask("tools-\(model)", agent: "tools", model: model)
        #expect(done["stop_reason"] == "tool_use", "\(done)")
        #expect(chunks.contains { $0["delta"]?["type"] == "tool_use" })
        #expect(chunks.contains { $0["delta"]?["type"] == "tool_input" })
        let tool = done["content"]?.arrayValue?.first { $0["type"] == "tool_use" }
        #expect(tool?["input"]?.objectValue?.isEmpty == false)
    }

    /// A client cancel mid-stream closes the upstream connection: the upstream sees the disconnect.
    @Test func cancelReachesUpstream() async throws {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("c", agent: "slow"))
        let first = try #require(try client.receive())
        #expect(first["type"] == "chunk")
        try client.send(["type": "cancel", "id": "c"])
        #expect(try client.collect("c").terminal["error"]?["code"] == "cancelled")
        #expect(await upstream.waitForDisconnect(count: 1, timeout: .seconds(10)))
    }

    /// A client that disconnects mid-stream has its upstream request closed too.
    @Test func disconnectReachesUpstream() async throws {
        do {
            let client = try fixture.connect()
            try client.send(SidecarClient.complete("d", agent: "slow"))
            #expect(try client.receive()?["type"] == "chunk")
        }
        #expect(await upstream.waitForDisconnect(count: 1, timeout: .seconds(10)))
    }

    /// After `failure_threshold` consecutive failures the breaker opens: status shows it and the provider is skipped.
    @Test func breakerOpensAndStatusShowsIt() throws {
        upstream.enqueue(.status(500), count: 6, for: [.messages])
        for i in 0..<2 { _ = try ask("b\(i)") }
        let status = try fixture.connect().request(["type": "status", "id": "s"])
        let anthropic = status["report"]?["providers"]?.arrayValue?.first { $0["name"] == "anthropic" }
        #expect(anthropic?["state"] == "open")
        #expect(anthropic?["last_error"]?["code"] == "upstream_error")
        let (_, done) = try ask("while-open")
        #expect(done["provider"] == "openai")
        #expect(Self.attempts(done) == ["openai:ok"])
    }

    /// Keys reach the upstream's auth header and nowhere else: not frames, not the debug log, not the ledger.
    @Test func credentialsNeverLeak() throws {
        upstream.enqueue(.status(401), count: 1)
        let client = try fixture.connect()
        var seen = ""
        for (i, model) in ["anthropic/claude-test", "openai/gpt-test", "anthropic/claude-test"].enumerated() {
            try client.send(SidecarClient.complete("k\(i)", model: model))
            let (chunks, terminal) = try client.collect("k\(i)")
            seen += (chunks + [terminal]).map { String(decoding: $0.encoded(), as: UTF8.self) }.joined()
        }
        seen += String(decoding: try client.request(["type": "status", "id": "s"]).encoded(), as: UTF8.self)
        let export = try CommandRun(["usage", "export", "--ledger", fixture.ledgerPath, "--format", "jsonl"])
        for key in ["sk-ant-test-key", "sk-test-key"] {
            #expect(!seen.contains(key))
            #expect(!fixture.sidecar.stderr.contains(key))
            #expect(!export.stdout.contains(key))
        }
        #expect(fixture.sidecar.stderr.contains("debug"))
        #expect(upstream.requests().allSatisfy { !$0.bodyText.contains("sk-") })
    }
}
