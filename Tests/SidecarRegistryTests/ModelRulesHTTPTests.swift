import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import SidecarSimulator
import Synchronization
import Testing

/// Model parameter rules over real HTTP: what reaches the simulated upstream's request log for each built-in
/// rule and a config override, and how a refusal fails over.
@Suite final class ModelRulesHTTPTests {
    let upstream = SimulatedUpstream(pacingMilliseconds: 0)
    let transport = RoutingTransport()
    let events = EventMessages()

    init() throws { try upstream.start() }
    deinit { upstream.stop() }

    /// Provider `anthropic` serving `claude`, then `openai` serving `gpt`, in one agent chain.
    func makeRegistry(claude: String = "claude-x", gpt: String = "gpt-x", claudeRules: [ModelRule] = [])
        -> Registry
    {
        let anthropic = AnthropicProvider(
            settings: ProviderSettings(
                name: "anthropic", kind: "anthropic", baseURL: upstream.baseURL, apiKey: Secret("sk-ant-test-key"),
                models: [claude], modelRules: claudeRules),
            transport: transport)
        let openai = OpenAIProvider(
            settings: ProviderSettings(
                name: "openai", kind: "openai", baseURL: upstream.baseURL.appendingPathComponent("v1"),
                apiKey: Secret("sk-test-key"), models: [gpt]),
            transport: transport)
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "anthropic", models: [claude], maxRetries: 0),
                ProviderRoute(name: "openai", models: [gpt], maxRetries: 0),
            ],
            agents: ["default": AgentPolicy(models: ["anthropic/\(claude)", "openai/\(gpt)"])])
        return Registry(
            providers: [anthropic, openai], routing: routing, clock: ManualClock(autoAdvance: true),
            onEvent: { [events] event in events.append(event.message) })
    }

    func send(
        _ registry: Registry, model: String? = nil, temperature: Double? = 0.5, topP: Double? = 0.9
    ) async throws -> RegistryOutcome {
        let request = CompletionRequest(
            id: "r1", model: model, messages: [Message(role: .user, content: [.text("hi")])], maxTokens: 64,
            temperature: temperature, topP: topP, stop: ["END"])
        return try await registry.complete(request, agent: "default", emit: { _ in })
    }

    func lastBody() throws -> JSONValue {
        try JSONValue.parse(try #require(upstream.requests().last).body)
    }

    /// Opus 4.7 takes no sampling parameters: both are dropped (and logged), the rest goes as is.
    @Test func opus47DropsSamplingParameters() async throws {
        let outcome = try await send(makeRegistry(claude: "claude-opus-4-7"))
        #expect(outcome.answer?.candidate.provider == "anthropic")
        let body = try lastBody()
        #expect(body["temperature"] == nil && body["top_p"] == nil)
        #expect(body["stop_sequences"] == ["END"] && body["max_tokens"] == 64)
        #expect(events.all == ["anthropic/claude-opus-4-7: dropped temperature, top_p (model_rules)"])
    }

    /// Sonnet 4.5/4.6 and Opus 4.1 take temperature or top_p, not both: top_p goes when both are set.
    @Test(arguments: ["claude-sonnet-4-5-20250929", "claude-sonnet-4-6", "claude-opus-4-1"])
    func oneOfTemperatureAndTopP(model: String) async throws {
        let registry = makeRegistry(claude: model)
        _ = try await send(registry)
        var body = try lastBody()
        #expect(body["temperature"] == 0.5 && body["top_p"] == nil)
        _ = try await send(registry, temperature: nil)
        body = try lastBody()
        #expect(body["temperature"] == nil && body["top_p"] == 0.9)
    }

    /// Reasoning models: no temperature or top_p, and `max_completion_tokens` on any server.
    @Test(arguments: ["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini"])
    func reasoningModels(model: String) async throws {
        _ = try await send(makeRegistry(gpt: model), model: "openai/\(model)")
        let body = try lastBody()
        #expect(body["temperature"] == nil && body["top_p"] == nil && body["stop"] == ["END"])
        #expect(body["max_completion_tokens"] == 64 && body["max_tokens"] == nil)
    }

    /// A model no rule matches gets every parameter, and `max_tokens` from a server other than api.openai.com.
    @Test func unmatchedModelsKeepEverything() async throws {
        _ = try await send(makeRegistry(gpt: "gpt-4.1"), model: "openai/gpt-4.1")
        let body = try lastBody()
        #expect(body["temperature"] == 0.5 && body["top_p"] == 0.9 && body["max_tokens"] == 64)
        #expect(events.all.isEmpty)
    }

    /// A config rule replaces the built-in one: `{}` turns it off.
    @Test func configOverrideReplacesBuiltIn() async throws {
        let off = ModelRule(ModelPattern("claude-opus-4-7*")!, ParameterRule())
        _ = try await send(makeRegistry(claude: "claude-opus-4-7", claudeRules: [off]))
        let body = try lastBody()
        #expect(body["temperature"] == 0.5 && body["top_p"] == 0.9)
    }

    /// A refused parameter moves on to the next candidate without calling the upstream.
    @Test func refusalFailsOver() async throws {
        let refuse = ModelRule(ModelPattern("claude-x")!, ParameterRule(refuse: [.topP]))
        let outcome = try await send(makeRegistry(claudeRules: [refuse]))
        #expect(outcome.answer?.candidate.provider == "openai")
        #expect(outcome.attempts.map(\.error) == [.badRequest, nil])
        #expect(upstream.requests().map(\.path) == ["/v1/chat/completions"])
        #expect(try lastBody()["top_p"] == 0.9)
    }

    /// When no candidate takes the request, it ends with `bad_request` naming the parameter and the model.
    @Test func refusalEverywhereIsBadRequest() async throws {
        let refuse = ModelRule(ModelPattern("claude-x")!, ParameterRule(refuse: [.topP]))
        let outcome = try await send(makeRegistry(claudeRules: [refuse]), model: "anthropic/claude-x")
        let error = try #require(outcome.error)
        #expect(error.code == .badRequest && !error.retryable)
        #expect(error.message.contains("anthropic/claude-x does not take top_p"))
        #expect(upstream.requests().isEmpty)
    }
}

/// The messages of the registry's events, in order.
final class EventMessages: Sendable {
    private let messages = Mutex<[String]>([])
    var all: [String] { messages.withLock { $0 } }
    func append(_ message: String) { messages.withLock { $0.append(message) } }
}
