import SidecarRegistry
import SidecarTransport
import Foundation

/// The sidecar's whole configuration, validated. Build it with `ConfigLoader`; every value here has
/// passed validation, so consumers never re-check it.
///
/// The config holds the *names* of credentials (`api_key_env`, `api_key_file`), never their values:
/// a `Config` can be printed or compared without leaking a key. `ConfigLoader.resolveAPIKey` reads them.
public struct Config: Sendable, Equatable {
    /// Unix sockets to listen on, in config order.
    public var listeners: [ListenerSpec]
    /// The SQLite token ledger.
    public var ledgerPath: String
    /// Providers in config order (the order a synthesized `default` agent uses).
    public var providers: [ProviderConfig]
    /// Agents by name. Always contains `default` (`ConfigDefaults.defaultAgent`).
    public var agents: [String: AgentConfig]
    /// Alias name -> ordered model references (`provider/model` or bare model names, never other aliases).
    public var aliases: [String: [String]]
    /// Prices keyed by `provider/model`. A model without an entry is unpriced (`cost_usd` null).
    public var pricing: [String: PriceConfig]
    public var circuitBreaker: BreakerSettings
    /// The global health-check settings; each provider's effective settings are in `ProviderConfig.healthCheck`.
    public var healthCheck: HealthCheck
    public var limits: ServerLimits
    public var logLevel: LogLevel

    public init(
        listeners: [ListenerSpec], ledgerPath: String, providers: [ProviderConfig],
        agents: [String: AgentConfig], aliases: [String: [String]] = [:],
        pricing: [String: PriceConfig] = [:], circuitBreaker: BreakerSettings = BreakerSettings(),
        healthCheck: HealthCheck = HealthCheck(), limits: ServerLimits = ServerLimits(), logLevel: LogLevel = .info
    ) {
        self.listeners = listeners
        self.ledgerPath = ledgerPath
        self.providers = providers
        self.agents = agents
        self.aliases = aliases
        self.pricing = pricing
        self.circuitBreaker = circuitBreaker
        self.healthCheck = healthCheck
        self.limits = limits
        self.logLevel = logLevel
    }

    /// The provider with this name, if configured.
    public func provider(named name: String) -> ProviderConfig? {
        providers.first { $0.name == name }
    }
}

extension Config {
    /// Background health checks (`health_check`, globally and per provider).
    public struct HealthCheck: Sendable, Equatable {
        public var enabled: Bool
        public var interval: Duration

        public init(enabled: Bool = true, interval: Duration = ConfigDefaults.healthCheckInterval) {
            self.enabled = enabled
            self.interval = interval
        }
    }
}
