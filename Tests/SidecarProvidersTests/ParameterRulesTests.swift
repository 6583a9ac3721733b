import Testing

@testable import SidecarProviders

/// Which rule a model gets: the config's rules before the built-ins; an exact name before a prefix, a longer
/// prefix before a shorter one.
@Suite struct ParameterRulesTests {
    @Test func lookupOrder() {
        let short = ParameterRule(drop: [.stop])
        let long = ParameterRule(refuse: [.stop])
        let exact = ParameterRule(oneOf: [.temperature, .topP])
        let rules = ParameterRules(
            kind: "openai",
            overrides: [
                ModelRule(ModelPattern("my*")!, short), ModelRule(ModelPattern("my-model*")!, long),
                ModelRule(ModelPattern("my-model-2")!, exact),
            ])
        #expect(rules.rule(for: "my-other") == short)
        #expect(rules.rule(for: "my-model-1") == long)
        #expect(rules.rule(for: "my-model-2") == exact)
        #expect(rules.rule(for: "gpt-5-nano")?.maxCompletionTokens == true)
        #expect(rules.rule(for: "gpt-4o") == nil)
        #expect(ParameterRules(kind: "simulated").builtIn.isEmpty)
    }

    @Test func patterns() {
        #expect(ModelPattern("*") == nil && ModelPattern("a*b") == nil && ModelPattern("") == nil)
        #expect(ModelPattern("gpt-5*")?.matches("gpt-5") == true)
        #expect(ModelPattern("gpt-5")?.matches("gpt-5-mini") == false)
    }
}
