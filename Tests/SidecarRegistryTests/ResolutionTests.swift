import SidecarProtocol
import SidecarRegistry
import Testing

@Suite struct ResolutionTests {
    let registry: Registry = {
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "anthropic", models: ["claude-sonnet", "claude-haiku", "shared"]),
                ProviderRoute(name: "openai", models: ["gpt-4o", "gpt-4o-mini", "shared"]),
                ProviderRoute(name: "openrouter", models: ["meta/llama-3"]),
                ProviderRoute(name: "local", models: []),
            ],
            agents: [
                "default": AgentPolicy(models: ["anthropic/claude-sonnet", "gpt-4o"], maxTokens: 1000),
                "coder": AgentPolicy(models: ["claude-haiku", "fast"]),
                "open": AgentPolicy(models: []),
            ],
            aliases: ["fast": ["anthropic/claude-haiku", "openai/gpt-4o-mini"], "smart": ["claude-sonnet", "gpt-4o"]])
        return Registry(
            providers: ["anthropic", "openai", "openrouter", "local"].map { simulated($0) }, routing: routing,
            clock: ManualClock())
    }()

    func names(_ agent: String, _ model: String?) throws -> [String] {
        try registry.resolve(agent: agent, model: model).map(\.description)
    }

    func code(_ agent: String, _ model: String?) -> ErrorCode? {
        do {
            _ = try registry.resolve(agent: agent, model: model)
            return nil
        } catch {
            return error.code
        }
    }

    /// No model gives the agent's chain, with bare names and aliases expanded in order.
    @Test func noModelGivesTheAgentsChain() throws {
        #expect(try names("default", nil) == ["anthropic/claude-sonnet", "openai/gpt-4o"])
        #expect(try names("coder", nil) == ["anthropic/claude-haiku", "openai/gpt-4o-mini"])
    }

    /// An agent missing from the config acts as `default`, allow-list included.
    @Test func unknownAgentUsesDefault() throws {
        #expect(try names("stranger", nil) == ["anthropic/claude-sonnet", "openai/gpt-4o"])
        #expect(code("stranger", "claude-haiku") == .forbidden)
    }

    /// `provider/model` is exact (any model for a provider listing none), a bare name finds its provider,
    /// and an alias expands in order.
    @Test func qualifiedBareAndAliasNames() throws {
        #expect(try names("open", "openai/gpt-4o") == ["openai/gpt-4o"])
        #expect(try names("open", "local/any-model") == ["local/any-model"])
        #expect(try names("open", "gpt-4o-mini") == ["openai/gpt-4o-mini"])
        #expect(try names("open", "fast") == ["anthropic/claude-haiku", "openai/gpt-4o-mini"])
        #expect(try names("open", "openrouter/meta/llama-3") == ["openrouter/meta/llama-3"])
        #expect(try names("open", "meta/llama-3") == ["openrouter/meta/llama-3"])
    }

    /// A restricted agent may name chain entries in any spelling and aliases whose members are all
    /// allowed; anything else is forbidden.
    @Test func allowListIsEnforced() throws {
        #expect(try names("default", "claude-sonnet") == ["anthropic/claude-sonnet"])
        #expect(try names("default", "openai/gpt-4o") == ["openai/gpt-4o"])
        #expect(try names("default", "smart") == ["anthropic/claude-sonnet", "openai/gpt-4o"])
        #expect(try names("coder", "anthropic/claude-haiku") == ["anthropic/claude-haiku"])
        #expect(code("default", "fast") == .forbidden)
        #expect(code("coder", "gpt-4o") == .forbidden)
        #expect(code("coder", "smart") == .forbidden)
    }

    /// Names nobody serves, unknown providers, models a provider does not list and ambiguous bare names
    /// are unknown_model.
    @Test func unresolvableNamesAreUnknownModel() {
        #expect(code("open", "gpt-9") == .unknownModel)
        #expect(code("open", "antropic/claude-sonnet") == .unknownModel)
        #expect(code("open", "openai/gpt-5-unlisted") == .unknownModel)
        #expect(code("open", "shared") == .unknownModel)
        #expect(code("default", "nothing-here") == .unknownModel)
    }

    /// The hello frame lists a restricted agent's chain plus the aliases it may use, and everything for
    /// an unrestricted agent.
    @Test func modelsForHello() {
        #expect(registry.models(for: "default") == ["anthropic/claude-sonnet", "gpt-4o", "smart"])
        #expect(registry.models(for: "coder") == ["claude-haiku", "fast"])
        #expect(registry.models(for: "open").count == 9)
    }

    /// An agent without models takes `default`'s chain.
    @Test func agentWithoutModelsUsesDefaultChain() throws {
        #expect(try names("open", nil) == ["anthropic/claude-sonnet", "openai/gpt-4o"])
    }
}
