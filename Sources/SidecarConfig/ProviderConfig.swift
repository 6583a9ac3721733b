import SidecarProviders
import SidecarRegistry

/// One upstream provider (`providers[]`): the provider's own settings, the registry's route to it, and
/// where its key is read from at startup.
public struct ProviderConfig: Sendable, Equatable {
    /// What the provider itself takes. `apiKey` is nil: the key is read at startup (`ConfigLoader.resolveAPIKeys`).
    public let settings: ProviderSettings
    /// What the registry takes: the settings' name, models and prompt caching, with retries and health checks.
    public let route: ProviderRoute
    /// Name of the environment variable holding the API key (never the key).
    public let apiKeyEnv: String?
    /// Path of a file holding the API key (never the key).
    public let apiKeyFile: String?

    /// `healthCheck` is the provider's effective setting (its own `health_check` over the global one).
    public init(
        settings: ProviderSettings, apiKeyEnv: String? = nil, apiKeyFile: String? = nil,
        maxRetries: Int = ProviderRoute.defaultMaxRetries, healthCheck: Config.HealthCheck = Config.HealthCheck()
    ) {
        self.settings = settings
        route = ProviderRoute(
            name: settings.name, models: settings.models, maxRetries: maxRetries, promptCaching: settings.promptCaching,
            healthCheckInterval: healthCheck.enabled ? healthCheck.interval : nil)
        self.apiKeyEnv = apiKeyEnv
        self.apiKeyFile = apiKeyFile
    }

    /// Unique; the `provider` part of `provider/model`.
    public var name: String { settings.name }
}
