import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import Testing

/// What `Registry.plan` decides before any provider is called.
@Suite struct RequestPlanTests {
    let registry: Registry = {
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "cached", models: ["a"], maxRetries: 3, promptCaching: true),
                ProviderRoute(name: "plain", models: ["b"], maxRetries: 0),
            ],
            agents: [
                "default": AgentPolicy(models: ["plain/b", "cached/a"], maxTokens: 700),
                "terse": AgentPolicy(models: ["cached/a"], maxTokens: 50),
                "open": AgentPolicy(models: []),
            ],
            aliases: ["both": ["cached/a", "plain/b"]],
            requestDeadline: .seconds(42))
        return Registry(providers: [simulated("cached"), simulated("plain")], routing: routing, clock: ManualClock())
    }()

    func request(model: String? = nil, maxTokens: Int? = nil, cache: Bool = false) -> CompletionRequest {
        CompletionRequest(
            id: "p", model: model, messages: [Message(role: .user, content: [.text("hi")])], maxTokens: maxTokens,
            cache: cache)
    }

    /// The candidates come in chain order, each with its own provider's retries.
    @Test func candidatesInChainOrderWithTheirRetries() throws {
        let chain = try registry.plan(request(), agent: "default").candidates
        #expect(chain.map(\.candidate.description) == ["plain/b", "cached/a"])
        #expect(chain.map(\.maxRetries) == [0, 3])
        let alias = try registry.plan(request(model: "both"), agent: "open").candidates
        #expect(alias.map(\.candidate.description) == ["cached/a", "plain/b"])
        #expect(alias.map(\.maxRetries) == [3, 0])
    }

    /// Prompt caching is per candidate: its provider's `prompt_caching`, or every candidate when the request
    /// sets `cache`.
    @Test func promptCachingPerCandidate() throws {
        let providerOnly = try registry.plan(request(), agent: "default").candidates
        #expect(providerOnly.map(\.promptCaching) == [false, true])
        let requested = try registry.plan(request(cache: true), agent: "default").candidates
        #expect(requested.map(\.promptCaching) == [true, true])
    }

    /// max_tokens: the request's, else its agent's, else the default; an unlisted agent takes `default`'s.
    @Test func maxTokensPrecedence() throws {
        #expect(try registry.plan(request(maxTokens: 9), agent: "terse").maxTokens == 9)
        #expect(try registry.plan(request(), agent: "terse").maxTokens == 50)
        #expect(try registry.plan(request(), agent: "open").maxTokens == ProviderRequest.defaultMaxTokens)
        #expect(try registry.plan(request(), agent: "stranger").maxTokens == 700)
    }

    /// A thinking budget the limit does not exceed raises it to budget + 1024 (Anthropic requires max_tokens >
    /// budget_tokens); a larger limit, or thinking without a budget, leaves it alone.
    @Test func thinkingBudgetRaisesMaxTokens() throws {
        func planned(_ maxTokens: Int?, _ thinking: Thinking) throws -> Int {
            var r = request(maxTokens: maxTokens)
            r.thinking = thinking
            return try registry.plan(r, agent: "terse").maxTokens
        }
        #expect(try planned(2000, .enabled(budgetTokens: 2000)) == 3024)
        #expect(try planned(nil, .enabled(budgetTokens: 1024)) == 2048)
        #expect(try planned(2001, .enabled(budgetTokens: 2000)) == 2001)
        #expect(try planned(nil, .adaptive) == 50)
    }

    /// The deadline is the routing table's, and the plan carries the request it was made for.
    @Test func deadlineAndRequest() throws {
        let plan = try registry.plan(request(model: "plain/b"), agent: "default")
        #expect(plan.deadline == .seconds(42))
        #expect(plan.request.id == "p" && plan.request.model == "plain/b")
    }

    /// A model that does not resolve, or that the agent may not use, is refused when planning.
    @Test func unresolvableRequestsAreRefusedAtPlanning() {
        func refusal(_ model: String, agent: String) -> ErrorCode? {
            do {
                _ = try registry.plan(request(model: model), agent: agent)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(refusal("nowhere", agent: "default") == .unknownModel)
        #expect(refusal("plain/b", agent: "terse") == .forbidden)
        #expect(refusal("plain/b", agent: "default") == nil)
    }
}
