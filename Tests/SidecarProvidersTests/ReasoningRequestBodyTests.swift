import SidecarProtocol
import Testing

@testable import SidecarProviders

/// A one-turn request with the given reasoning fields.
private func reasoning(_ thinking: Thinking?, _ effort: Effort?) -> ProviderRequest {
    let completion = CompletionRequest(
        id: "t", messages: [Message(role: .user, content: [.text("Think")])], thinking: thinking, effort: effort)
    return ProviderRequest(model: "sim-model", completion: completion, maxTokens: 8192, promptCaching: false)
}

/// `thinking` and `effort` as they reach the simulated upstream over HTTP, for each provider kind.
@Suite struct ReasoningRequestBodyTests {
    /// The reasoning fields of the body the upstream received for `request`.
    private func sent(_ kind: Kind, _ request: ProviderRequest) async throws -> [String: JSONValue] {
        let h = try Harness()
        let outcome = await collect(try h.provider(kind).stream(request))
        #expect(outcome.error == nil)
        let body = try h.lastBody()
        let keys = ["thinking", "output_config", "reasoning_effort"]
        return (body.objectValue ?? [:]).filter { keys.contains($0.key) }
    }

    /// Anthropic: `thinking` as given, `effort` as `output_config.effort`, `minimal` as `low`.
    @Test(arguments: [
        (Thinking.enabled(budgetTokens: 2048), Effort.high, "high"), (.adaptive, .medium, "medium"),
        (.disabled, .minimal, "low"),
    ])
    func anthropic(thinking: Thinking, effort: Effort, sentEffort: String) async throws {
        let fields = try await sent(.anthropic, reasoning(thinking, effort))
        #expect(fields == ["thinking": thinking.json, "output_config": ["effort": .string(sentEffort)]])
    }

    /// Anthropic gets the exact thinking object, and nothing for effort when the request has none.
    @Test func anthropicEnabledExactJSON() async throws {
        let fields = try await sent(.anthropic, reasoning(.enabled(budgetTokens: 4000), nil))
        #expect(fields == ["thinking": ["type": "enabled", "budget_tokens": 4000]])
    }

    /// OpenAI-kind: `effort` wins, `minimal` included; else derived from `thinking` by the documented rule.
    @Test(arguments: [
        (Thinking?.none, Effort?.some(.minimal), "minimal"), (.enabled(budgetTokens: 20000), .low, "low"),
        (.enabled(budgetTokens: 1024), nil, "low"), (.enabled(budgetTokens: 4096), nil, "medium"),
        (.enabled(budgetTokens: 16383), nil, "medium"), (.enabled(budgetTokens: 16384), nil, "high"),
        (.adaptive, nil, "medium"),
    ])
    func openAI(thinking: Thinking?, effort: Effort?, sentEffort: String) async throws {
        let fields = try await sent(.openai, reasoning(thinking, effort))
        #expect(fields == ["reasoning_effort": .string(sentEffort)])
    }

    /// Neither kind sends a reasoning field for a request without them; OpenAI-kind sends none for `disabled`.
    @Test func nothingWhenNotAsked() async throws {
        #expect(try await sent(.anthropic, reasoning(nil, nil)).isEmpty)
        #expect(try await sent(.openai, reasoning(nil, nil)).isEmpty)
        #expect(try await sent(.openai, reasoning(.disabled, nil)).isEmpty)
    }
}
