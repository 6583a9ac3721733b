import SidecarProviders
import SidecarRegistry
import SidecarTransport

extension ConfigLoader {
    /// Where the ledger goes when neither the config nor the environment names it.
    public static func defaultLedgerPath(environment: [String: String]) -> String {
        DefaultPaths(environment: environment).ledger
    }

    /// The config used when there is no config file, so `serve` works on a fresh machine:
    ///
    /// - one unbound listener at the default socket (`DefaultPaths`), mode 0660; the default ledger path;
    /// - provider `anthropic` when `ANTHROPIC_API_KEY` is set and `openai` when `OPENAI_API_KEY` is set,
    ///   each with `ConfigDefaults`' models, reading the key from that variable;
    /// - when neither is set, one `simulated` provider, so `serve` still answers (with deterministic
    ///   demo text; the server should say so in its startup log);
    /// - agent `default`: the first model of each provider, in the order above.
    public static func defaultConfig(environment: [String: String]) -> Config {
        let paths = DefaultPaths(environment: environment)
        var providers: [ProviderConfig] = []
        func isSet(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        if isSet(ConfigDefaults.anthropicKeyVariable) {
            providers.append(
                provider(
                    "anthropic", AnthropicProvider.providerKind, models: ConfigDefaults.anthropicModels,
                    keyVariable: ConfigDefaults.anthropicKeyVariable))
        }
        if isSet(ConfigDefaults.openAIKeyVariable) {
            providers.append(
                provider(
                    "openai", OpenAIProvider.providerKind, models: ConfigDefaults.openAIModels,
                    keyVariable: ConfigDefaults.openAIKeyVariable))
        }
        if providers.isEmpty {
            providers.append(
                provider(
                    ConfigDefaults.simulatedProviderName, SimulatedProvider.providerKind,
                    models: ConfigDefaults.simulatedModels))
        }
        let chain = ConfigDefaults.defaultChain(for: providers)
        return Config(
            listeners: [ListenerSpec(path: paths.socket)], ledgerPath: paths.ledger,
            providers: providers, agents: [RoutingTable.defaultAgent: AgentPolicy(models: chain)])
    }

    /// A provider of `kind` with the kind's defaults, reading its key from `keyVariable`.
    private static func provider(
        _ name: String, _ kind: ProviderKind, models: [String], keyVariable: String? = nil
    ) -> ProviderConfig {
        let settings = ProviderSettings(
            name: name, kind: kind.name, baseURL: kind.defaultBaseURL, models: models,
            promptCaching: kind.promptCachingByDefault)
        return ProviderConfig(settings: settings, apiKeyEnv: keyVariable)
    }
}
