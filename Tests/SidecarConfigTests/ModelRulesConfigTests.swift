import SidecarConfig
import SidecarProviders
import Testing

/// `providers[].model_rules`: parsed into `ProviderSettings.modelRules`, every problem at its JSON path.
@Suite struct ModelRulesConfigTests {
    private func provider(kind: String = "openai", rules: String) -> String {
        #"{"providers": [{"name": "p", "kind": "\#(kind)", "api_key_env": "K", "models": ["m"], "model_rules": \#(rules)}]}"#
    }

    @Test func parsesIntoTheProvidersSettings() throws {
        let config = try parse(
            provider(
                rules: #"""
                    {"gpt-5*": {"drop": ["temperature"], "refuse": ["top_p"], "max_completion_tokens": false},
                     "my-model": {"one_of": ["top_p", "temperature"]}}
                    """#))
        let rules = try #require(config.providers.first).settings.modelRules
        #expect(
            rules == [
                ModelRule(ModelPattern("gpt-5*")!, ParameterRule(drop: [.temperature], refuse: [.topP])),
                ModelRule(ModelPattern("my-model")!, ParameterRule(oneOf: [.topP, .temperature])),
            ])
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(#"{"providers": [\#(providerA)], "model_rules": {}}"#, #"model_rules: unknown key"#),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": []}]}"#,
            "providers[0].model_rules: expected object, got array"),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"g*pt": {}}}]}"#,
            #"providers[0].model_rules["g*pt"]: expected a model name, or a model name prefix ending in "*""#),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": 1}}]}"#,
            "providers[0].model_rules.m: expected object, got number"),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": {"drops": []}}}]}"#,
            #"providers[0].model_rules.m.drops: unknown key (did you mean "drop"?)"#),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": {"drop": ["top_k"]}}}]}"#,
            #"providers[0].model_rules.m.drop[0]: unknown parameter "top_k" (expected temperature, top_p, stop) (did you mean "top_p"?)"#
        ),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": {"refuse": "stop"}}}]}"#,
            "providers[0].model_rules.m.refuse: expected array, got string"),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": {"drop": ["stop"], "refuse": ["stop"]}}}]}"#,
            #"providers[0].model_rules.m.refuse: "stop" is also in drop"#),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "openai", "api_key_env": "K", "model_rules": {"m": {"one_of": ["stop"]}}}]}"#,
            "providers[0].model_rules.m.one_of: needs at least two parameters"),
        InvalidCase(
            #"{"providers": [{"name": "p", "kind": "anthropic", "api_key_env": "K", "model_rules": {"m": {"max_completion_tokens": true}}}]}"#,
            "providers[0].model_rules.m.max_completion_tokens: only for openai providers"),
    ]

    /// Each invalid rule yields exactly its problem line.
    @Test(arguments: invalid)
    func reportsProblem(_ example: InvalidCase) {
        #expect(problems(example.json) == [example.expected])
    }
}
