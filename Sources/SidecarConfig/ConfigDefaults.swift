import SidecarTransport
import Foundation

/// Every default the config applies, named so the README, the code and the tests agree.
public enum ConfigDefaults {
    /// The agent used when a request names none or names one that is not configured.
    public static let defaultAgent = "default"

    // MARK: listen, ledger

    public static let socketDirectoryName = "provider-sidecar"
    public static let socketFileName = "sidecar.sock"
    public static let ledgerFileName = "ledger.sqlite"
    /// `sun_path` holds 108 bytes including the terminating NUL.
    public static let maxSocketPathBytes = 107

    // MARK: providers

    public static let anthropicBaseURL = "https://api.anthropic.com"
    public static let openAIBaseURL = "https://api.openai.com/v1"
    public static let connectTimeout: Duration = .seconds(10)
    public static let firstByteTimeout: Duration = .seconds(60)
    public static let idleTimeout: Duration = .seconds(60)
    public static let totalTimeout: Duration = .seconds(600)
    public static let maxRetries = 2
    /// `max_response_bytes`: the most of one answer an upstream can make the sidecar hold.
    public static let maxResponseBytes = 32 << 20
    /// The accepted range of `max_response_bytes`: 64 KiB to 1 GiB.
    public static let maxResponseBytesRange = (64 << 10)...(1 << 30)

    static func baseURL(for kind: ProviderConfig.Kind) -> URL? {
        switch kind {
        case .anthropic: return URL(string: anthropicBaseURL)
        case .openai: return URL(string: openAIBaseURL)
        case .simulated: return nil
        }
    }

    /// On for Anthropic, whose caching needs explicit markers; off elsewhere (OpenAI caches automatically).
    static func promptCaching(for kind: ProviderConfig.Kind) -> Bool { kind == .anthropic }

    // MARK: the no-config-file default

    public static let anthropicKeyVariable = "ANTHROPIC_API_KEY"
    public static let openAIKeyVariable = "OPENAI_API_KEY"
    public static let anthropicModels = ["claude-sonnet-4-5", "claude-haiku-4-5"]
    public static let openAIModels = ["gpt-4.1", "gpt-4.1-mini"]
    public static let simulatedProviderName = "simulated"
    public static let simulatedModels = ["sim-1"]

    /// The `default` agent's chain when the config has none: the first model of each provider that lists
    /// any, in provider order (one candidate per provider, so failover crosses providers).
    static func defaultChain(for providers: [ProviderConfig]) -> [String] {
        providers.compactMap { provider in provider.models.first.map { "\(provider.name)/\($0)" } }
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
