import SidecarConfig
import Testing

@Suite struct ModelResolutionTests {
    let config: Config

    init() throws {
        config = try parse(
            #"""
            {"providers": [\#(providerA), \#(providerB),
                           {"name": "r", "kind": "openai", "api_key_env": "R", "base_url": "https://openrouter.ai/api/v1"}],
             "aliases": {"fast": ["n", "a/m", "b/m"]},
             "agents": {"default": {"models": ["a/m", "fast"]}, "coder": {"models": ["n"]}, "free": {}}}
            """#)
    }

    /// Qualified, bare and alias references resolve; a provider listing no models takes any model,
    /// including names with a slash.
    @Test func resolvesReferences() throws {
        #expect(try config.resolve("a/m") == [ModelRef(provider: "a", model: "m")])
        #expect(try config.resolve("n") == [ModelRef(provider: "b", model: "n")])
        #expect(
            try config.resolve("fast") == [
                ModelRef(provider: "b", model: "n"), ModelRef(provider: "a", model: "m"),
                ModelRef(provider: "b", model: "m"),
            ])
        #expect(try config.resolve("r/meta-llama/llama-3") == [ModelRef(provider: "r", model: "meta-llama/llama-3")])
    }

    /// Unresolvable references throw the error validation reports.
    @Test func rejectsUnresolvable() {
        #expect(throws: ModelReferenceError.ambiguous("m", providers: ["a", "b"])) { try config.resolve("m") }
        #expect(throws: ModelReferenceError.unlistedModel(provider: "a", model: "z")) { try config.resolve("a/z") }
        #expect(throws: ModelReferenceError.unknownProvider("q", suggestion: nil)) { try config.resolve("q/m") }
        #expect(throws: ModelReferenceError.unknownModel("zzz", suggestion: nil)) { try config.resolve("zzz") }
    }

    /// An agent's chain expands aliases and drops duplicates; unknown agents and agents listing no
    /// models use the default chain.
    @Test func buildsAgentChains() {
        let defaultChain = [
            ModelRef(provider: "a", model: "m"), ModelRef(provider: "b", model: "n"),
            ModelRef(provider: "b", model: "m"),
        ]
        #expect(config.chain(forAgent: nil) == defaultChain)
        #expect(config.chain(forAgent: "unknown") == defaultChain)
        #expect(config.chain(forAgent: "free") == defaultChain)
        #expect(config.chain(forAgent: "coder") == [ModelRef(provider: "b", model: "n")])
    }
}
