import SidecarTransport

/// The defaults only the config applies, named so the README, the code and the tests agree. Defaults
/// of values the config hands to an owner live with that owner: `ProviderSettings` (timeouts, response
/// size), each provider kind's `ProviderKind` (base URL, prompt caching), `ProviderRoute` (retries),
/// `RoutingTable` (the default agent), `BreakerSettings`, `ServerLimits`, `ListenerSpec`.
public enum ConfigDefaults {
    // MARK: listen, ledger

    public static let socketDirectoryName = "provider-sidecar"
    public static let socketFileName = "sidecar.sock"
    public static let ledgerFileName = "ledger.sqlite"
    /// `sun_path` holds 108 bytes including the terminating NUL.

    // MARK: providers

    /// The accepted range of `max_response_bytes`: 64 KiB to 1 GiB.
    public static let maxResponseBytesRange = (64 << 10)...(1 << 30)

    // MARK: the no-config-file default

    public static let anthropicKeyVariable = "ANTHROPIC_API_KEY"
    public static let openAIKeyVariable = "OPENAI_API_KEY"
    public static let anthropicModels = ["claude-sonnet-4-6", "claude-haiku-4-5"]
    public static let openAIModels = ["gpt-5", "gpt-5-mini"]
    public static let simulatedProviderName = "simulated"
    public static let simulatedModels = ["sim-1"]

    /// The `default` agent's chain when the config has none: the first model of each provider that lists
    /// any, in provider order (one candidate per provider, so failover crosses providers).
    static func defaultChain(for providers: [ProviderConfig]) -> [String] {
        providers.compactMap { provider in provider.settings.models.first.map { "\(provider.name)/\($0)" } }
    }

    // MARK: registry

    public static let healthCheckInterval: Duration = .seconds(60)

    public static let logLevel = LogLevel.info

    // MARK: environment

    public static let configVariable = "PROVIDER_SIDECAR_CONFIG"
    public static let socketVariable = "PROVIDER_SIDECAR_SOCKET"
    public static let ledgerVariable = "PROVIDER_SIDECAR_LEDGER"
    public static let logLevelVariable = "PROVIDER_SIDECAR_LOG_LEVEL"
}
