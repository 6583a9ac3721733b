import SidecarProviders

/// What the registry needs to know about one configured provider, beyond the `Provider` itself.
public struct ProviderRoute: Sendable, Equatable {
    /// `providers[].name`; must match a `Provider.name`.
    public var name: String
    /// The models this provider serves (bare names, as the upstream knows them).
    public var models: [String]
    /// Retries of a retryable failure on this provider before moving to the next candidate.
    public var maxRetries: Int
    /// Every request to this provider asks for prompt caching (the provider's `prompt_caching`).
    public var promptCaching: Bool
    /// How often the background health check runs; nil disables it.
    public var healthCheckInterval: Duration?

    /// `providers[].max_retries` when the config omits it.
    public static let defaultMaxRetries = 2

    public init(
        name: String, models: [String], maxRetries: Int = ProviderRoute.defaultMaxRetries, promptCaching: Bool = false,
        healthCheckInterval: Duration? = nil
    ) {
        self.name = name
        self.models = models
        self.maxRetries = maxRetries
        self.promptCaching = promptCaching
        self.healthCheckInterval = healthCheckInterval
    }
}

/// One agent's policy: its failover chain and defaults.
public struct AgentPolicy: Sendable, Equatable {
    /// The ordered failover chain: `provider/model` names, bare model names or aliases. When non-empty it
    /// is also the agent's allow-list (see `Registry.resolve`).
    public var models: [String]
    /// The output limit used when the request gives none (a request's own `max_tokens` wins).
    public var maxTokens: Int?

    public init(models: [String], maxTokens: Int? = nil) {
        self.models = models
        self.maxTokens = maxTokens
    }
}

/// The routing part of the configuration, as plain values (the registry does not read config files).
public struct RoutingTable: Sendable, Equatable {
    /// The agent requests naming none, or naming one not listed, run as.
    public static let defaultAgent = "default"

    public var providers: [ProviderRoute]
    /// Must contain `default`: requests from agents not listed here use it.
    public var agents: [String: AgentPolicy]
    /// Alias name to its ordered list of models.
    public var aliases: [String: [String]]
    /// The most one request may spend on retries and failover: no attempt starts and no backoff wait is
    /// begun that would end past it. A running attempt is bounded by its provider's own timeouts.
    public var requestDeadline: Duration

    public init(
        providers: [ProviderRoute], agents: [String: AgentPolicy], aliases: [String: [String]] = [:],
        requestDeadline: Duration = ProviderSettings.defaultTotalTimeout
    ) {
        self.providers = providers
        self.agents = agents
        self.aliases = aliases
        self.requestDeadline = requestDeadline
    }

    /// The agent `agent`'s requests are accounted as: itself when listed, else `default`, whose policy
    /// they run under (budgets, rate limits and the ledger follow the same name).
    public func accountableAgent(_ agent: String) -> String {
        agents[agent] == nil ? Self.defaultAgent : agent
    }

    /// The policy that applies to `agent`: its own, else `default`, else an empty one.
    public func policy(for agent: String) -> AgentPolicy {
        agents[agent] ?? agents[Self.defaultAgent] ?? AgentPolicy(models: [])
    }
}
