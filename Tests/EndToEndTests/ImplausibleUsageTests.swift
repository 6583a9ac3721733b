import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

/// Token counts an upstream reports are charged only when plausible: a negative count must not credit the
/// budget back, an absurd one must not lock the agent out. Both are recorded as unreported usage.
@Suite(.serialized)
struct ImplausibleUsageTests {
    let upstream = SimulatedUpstream()
    let fixture: SidecarFixture

    init() throws {
        upstream.defaultPacingMilliseconds = 0
        let port = try upstream.start()
        fixture = try SidecarFixture(
            providers: """
                [{"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
                  "api_key_env": "TEST_ANTHROPIC_KEY", "models": ["claude-test"], "max_retries": 0,
                  "health_check": {"enabled": false}}]
                """,
            agents: #"{"default": {"models": ["anthropic/claude-test"], "budget": {"tokens_per_day": 100000}}}"#,
            environment: ["TEST_ANTHROPIC_KEY": "sk-ant-test-key"])
    }

    func ask(_ id: String) throws -> JSONValue {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete(id, "Hello"))
        return try client.collect(id).terminal
    }

    func spentToday() throws -> Int? {
        let status = try fixture.connect().request(["type": "status", "id": "s"])
        return status["report"]?["agents"]?.arrayValue?.first?["spent_tokens_today"]?.intValue
    }

    @Test(arguments: [-100_000, 8_900_000_000_000_000])
    func implausibleCountIsRecordedAsUnreported(inputTokens: Int) throws {
        upstream.enqueue(.reply("Hi there", inputTokens: inputTokens, outputTokens: 5))
        let done = try ask("odd")
        #expect(done["type"] == "done")
        #expect(done["usage"]?["reported"] == false)
        #expect(done["usage"]?["input_tokens"]?.intValue == 0)
        #expect(try spentToday() == 0)

        upstream.enqueue(.reply("Hi there", inputTokens: 40, outputTokens: 5))
        let normal = try ask("normal")
        #expect(normal["type"] == "done")
        #expect(normal["usage"]?["reported"] == true)
        #expect(try spentToday() == 45)

        let totals = try fixture.connect().request(["type": "usage", "id": "u"])["report"]?["totals"]
        #expect(totals?["requests"]?.intValue == 2)
        #expect(totals?["unreported_requests"]?.intValue == 1)
        #expect(totals?["total_tokens"]?.intValue == 45)
        #expect(fixture.sidecar.stderr.contains("usage.implausible"))
    }

    /// A count that is not a JSON integer (a string, a fraction) is not guessed at either: the report is
    /// recorded as unreported and the log names the field.
    @Test(arguments: [#""12""#, "1.5"])
    func nonIntegerCountIsRecordedAsUnreported(inputTokens: String) throws {
        upstream.enqueue(
            AnthropicTextStream.behaviour(
                startUsage: #""input_tokens":"# + inputTokens + #","output_tokens":1"#,
                deltaUsage: #""output_tokens":5"#))
        let done = try ask("fraction")
        #expect(done["type"] == "done")
        #expect(done["usage"]?["reported"] == false)
        #expect(try spentToday() == 0)
        let logged = fixture.sidecar.stderr.split(separator: "\n").filter { $0.contains("req=fraction") }
        #expect(logged.contains { $0.contains("usage.implausible") && $0.contains("input_tokens=") }, "\(logged)")
    }
}
