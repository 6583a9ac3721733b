import SidecarTransport
import Foundation

/// The sidecar's whole configuration, validated. Build it with `ConfigLoader`; every value here has
/// passed validation, so consumers never re-check it.
///
/// The config holds the *names* of credentials (`api_key_env`, `api_key_file`), never their values:
/// a `Config` can be printed or compared without leaking a key. `ConfigLoader.resolveAPIKey` reads them.
public struct Config: Sendable, Equatable {
    /// Unix sockets to listen on, in config order.
    public var listeners: [Listener]
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
    public var circuitBreaker: CircuitBreaker
    /// The global health-check settings; each provider's effective settings are in `ProviderConfig.healthCheck`.
    public var healthCheck: HealthCheck
    public var limits: Limits
    public var logLevel: LogLevel

    public init(
        listeners: [Listener], ledgerPath: String, providers: [ProviderConfig],
        agents: [String: AgentConfig], aliases: [String: [String]] = [:],
        pricing: [String: PriceConfig] = [:], circuitBreaker: CircuitBreaker = CircuitBreaker(),
        healthCheck: HealthCheck = HealthCheck(), limits: Limits = Limits(), logLevel: LogLevel = .info
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
    /// One Unix socket (`listen[]`).
    public struct Listener: Sendable, Equatable {
        public var path: String
        /// File mode applied to the socket (`mode_t`), default 0660.
        public var mode: UInt16
        /// When set, every request on this socket acts as this agent and naming another is `forbidden`.
        /// When nil, the request's `agent` field is trusted.
        public var agent: String?

        public init(path: String, mode: UInt16 = ConfigDefaults.socketMode, agent: String? = nil) {
            self.path = path
            self.mode = mode
            self.agent = agent
        }
    }

    /// Per-provider circuit breaker settings (`circuit_breaker`).
    public struct CircuitBreaker: Sendable, Equatable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold: Int
        /// How long an opened breaker stays open before its half-open probe (doubled on each reopen).
        public var openDuration: Duration

        public init(
            failureThreshold: Int = ConfigDefaults.failureThreshold,
            openDuration: Duration = ConfigDefaults.openDuration
        ) {
            self.failureThreshold = failureThreshold
            self.openDuration = openDuration
        }
    }

    /// Background health checks (`health_check`, globally and per provider).
    public struct HealthCheck: Sendable, Equatable {
        public var enabled: Bool
        public var interval: Duration

        public init(enabled: Bool = true, interval: Duration = ConfigDefaults.healthCheckInterval) {
            self.enabled = enabled
            self.interval = interval
        }
    }

    /// Server resource limits (`limits`).
    public struct Limits: Sendable, Equatable {
        /// Largest frame payload accepted or sent, in bytes.
        public var maxFrame: Int
        /// Connections held at once; further accepts are closed at once.
        public var maxConnections: Int
        /// Bytes queued per connection before its streams stop pulling from upstream.
        public var outputBuffer: Int
        /// How long a connection may stall inside a partial frame before it is closed.
        public var readTimeout: Duration
        /// How long in-flight requests may run after SIGTERM before they end with `shutting_down`.
        public var grace: Duration

        public init(
            maxFrame: Int = ConfigDefaults.maxFrame, maxConnections: Int = ConfigDefaults.maxConnections,
            outputBuffer: Int = ConfigDefaults.outputBuffer, readTimeout: Duration = ConfigDefaults.readTimeout,
            grace: Duration = ConfigDefaults.grace
        ) {
            self.maxFrame = maxFrame
            self.maxConnections = maxConnections
            self.outputBuffer = outputBuffer
            self.readTimeout = readTimeout
            self.grace = grace
        }
    }
}
