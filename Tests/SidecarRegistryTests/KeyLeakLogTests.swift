import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import SidecarSimulator
import Synchronization
import Testing

/// The registry's view of an upstream that echoes the key: neither the request's `error` nor any event the
/// registry logs holds a piece of the key of 8 or more characters.
@Suite struct KeyLeakLogTests {
    static let key = "sk-ant-api03-k3y9leak7frag2midQW7ZX9LP2RT8VB4NM6KC1HY5JD3"

    @Test func neitherErrorNorLogHoldsTheKey() async throws {
        let upstream = SimulatedUpstream(anthropicKey: Self.key, pacingMilliseconds: 0)
        try upstream.start()
        defer { upstream.stop() }
        let error = #"{"type":"error","error":{"type":"leak7frag2mid","message":"bad key \#(Self.key.prefix(24))"}}"#
        upstream.enqueue(
            .raw(status: 500, headers: ["content-type": "application/json"], body: error), for: [.messages])
        let event =
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"\(Self.key)\",\"message\":\"\(Self.key)\"}}\n\n"
        upstream.enqueue(
            .raw(status: 200, headers: ["content-type": "text/event-stream"], body: event), for: [.messages])
        let provider = AnthropicProvider(
            settings: ProviderSettings(
                name: "leaky", kind: "anthropic", baseURL: upstream.baseURL, apiKey: Secret(Self.key),
                models: ["claude-sim"]),
            transport: RoutingTransport())
        let logged = Mutex<[String]>([])
        let registry = Registry(
            providers: [provider],
            routing: RoutingTable(
                providers: [ProviderRoute(name: "leaky", models: ["claude-sim"], maxRetries: 1)],
                agents: ["default": AgentPolicy(models: ["claude-sim"])]),
            clock: ManualClock(autoAdvance: true), onEvent: { event in logged.withLock { $0.append(event.message) } })

        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        guard case .failed(let failure, _) = outcome.ending else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(outcome.attempts.count == 2)
        let lines = logged.withLock { $0 }
        #expect(lines.count == 2)
        for text in [failure.message] + lines {
            #expect(Self.fragment(in: text) == nil, "\(text)")
        }
    }

    /// The first piece of the key of 8 characters that `text` contains.
    static func fragment(in text: String) -> String? {
        let characters = Array(key)
        return (0...(characters.count - 8)).lazy.map { String(characters[$0..<$0 + 8]) }.first(where: text.contains)
    }
}
