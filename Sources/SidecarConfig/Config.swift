import SidecarProviders
import SidecarRegistry
import SidecarSpending
import SidecarTransport

/// The sidecar's whole configuration, validated, as the values each owner takes: listeners and limits
/// for the transport, settings and routes for providers and the registry, budgets and prices for
/// spending. Build it with `ConfigLoader`; every value here has passed validation, so consumers never
/// re-check it.
///
/// The config holds the *names* of credentials (`api_key_env`, `api_key_file`), never their values:
/// a `Config` can be printed or compared without leaking a key. `ConfigLoader.resolveAPIKeys` reads them.
public struct Config: Sendable, Equatable {
    /// Unix sockets to listen on, in config order.
    public var listeners: [ListenerSpec]
    /// The SQLite token ledger.
    public var ledgerPath: String
    /// Providers in config order (the order a synthesized `default` agent uses).
    public var providers: [ProviderConfig]
    /// Agents by name. Always contains `default` (`RoutingTable.defaultAgent`).
    public var agents: [String: AgentPolicy]
    /// The budgets of the agents that have one.
    public var budgets: [String: Budget]
    /// Alias name -> ordered model references (`provider/model` or bare model names, never other aliases).
    public var aliases: [String: [String]]
    /// A model without a price is unpriced (`cost_usd` null).
    public var pricing: Pricing
    public var circuitBreaker: BreakerSettings
    /// The global health-check settings; each provider's effective interval is in its `route`.
    public var healthCheck: HealthCheck
    public var limits: ServerLimits
    public var logLevel: LogLevel

    public init(
        listeners: [ListenerSpec], ledgerPath: String, providers: [ProviderConfig],
        agents: [String: AgentPolicy], budgets: [String: Budget] = [:], aliases: [String: [String]] = [:],
        pricing: Pricing = Pricing(), circuitBreaker: BreakerSettings = BreakerSettings(),
        healthCheck: HealthCheck = HealthCheck(), limits: ServerLimits = ServerLimits(), logLevel: LogLevel = .info
    ) {
        self.listeners = listeners
        self.ledgerPath = ledgerPath
        self.providers = providers
        self.agents = agents
        self.budgets = budgets
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
