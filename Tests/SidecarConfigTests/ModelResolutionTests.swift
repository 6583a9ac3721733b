import SidecarConfig
import SidecarRegistry
import Testing

/// A parsed config's references read through the registry's `Resolver`, the one reading requests use.
@Suite struct ModelResolutionTests {
    let resolver: Resolver

    init() throws {
        resolver = try parse(
            #"""
            {"providers": [\#(providerA), \#(providerB),
                           {"name": "r", "kind": "openai", "api_key_env": "R", "base_url": "https://openrouter.ai/api/v1"}],
             "aliases": {"fast": ["n", "a/m", "b/m"]},
             "agents": {"default": {"models": ["a/m", "fast"]}, "coder": {"models": ["n"]}, "free": {}}}
            """#
        ).resolver
    }

    /// Qualified, bare and alias references resolve; a provider listing no models takes any model,
    /// including names with a slash.
    @Test func resolvesReferences() throws {
        #expect(try resolver.candidates(for: "a/m") == [Candidate(provider: "a", model: "m")])
        #expect(try resolver.candidates(for: "n") == [Candidate(provider: "b", model: "n")])
        #expect(
            try resolver.candidates(for: "fast") == [
                Candidate(provider: "b", model: "n"), Candidate(provider: "a", model: "m"),
                Candidate(provider: "b", model: "m"),
            ])
        #expect(
            try resolver.candidates(for: "r/meta-llama/llama-3") == [
                Candidate(provider: "r", model: "meta-llama/llama-3")
            ])
    }

    /// Unresolvable references throw the error validation reports.
    @Test func rejectsUnresolvable() {
        #expect(throws: ModelReferenceError.ambiguous("m", providers: ["a", "b"])) { try resolver.candidates(for: "m") }
        #expect(throws: ModelReferenceError.unlistedModel(provider: "a", model: "z")) {
            try resolver.candidates(for: "a/z")
        }
        #expect(throws: ModelReferenceError.unknownProvider(provider: "q", model: "m")) {
            try resolver.candidates(for: "q/m")
        }
        #expect(throws: ModelReferenceError.unknownModel("zzz")) { try resolver.candidates(for: "zzz") }
        #expect(throws: ModelReferenceError.nestedAlias("fast")) { try resolver.candidate(for: "fast") }
    }

    /// An agent's chain expands aliases and drops duplicates; unknown agents and agents listing no
    /// models use the default chain.
    @Test func buildsAgentChains() throws {
        let defaultChain = [
            Candidate(provider: "a", model: "m"), Candidate(provider: "b", model: "n"),
            Candidate(provider: "b", model: "m"),
        ]
        #expect(try resolver.chain(forAgent: "default") == defaultChain)
        #expect(try resolver.chain(forAgent: "unknown") == defaultChain)
        #expect(try resolver.chain(forAgent: "free") == defaultChain)
        #expect(try resolver.chain(forAgent: "coder") == [Candidate(provider: "b", model: "n")])
    }
}
