import SidecarProtocol
import SidecarProviders
import Synchronization

/// Decides which provider answers a request: resolves names to a failover chain, retries with backoff,
/// fails over, keeps a circuit breaker per provider and runs the background health checks. It never
/// knows how a provider talks to its upstream, and never touches the ledger.
///
/// Thread-safe: every per-provider decision happens under that provider's lock, so any number of
/// concurrent requests may run.
public final class Registry: Sendable {
    let clock: any RegistryClock
    let backoff: Backoff
    let resolver: Resolver
    /// In config order.
    let slots: [ProviderSlot]
    let slotsByName: [String: ProviderSlot]
    let onEvent: @Sendable (RegistryEvent) -> Void
    private let healthTasks = Mutex<[Task<Void, Never>]>([])

    /// Routes whose provider is missing are dropped; a provider without a route gets an empty one (it is
    /// then reachable only as `provider/model`). `onEvent` receives the decisions worth a log line; it is
    /// called from request tasks and must not block.
    public init(
        providers: [any Provider], routing: RoutingTable, breaker: BreakerSettings = BreakerSettings(),
        clock: any RegistryClock = SystemRegistryClock(), backoff: Backoff = Backoff(),
        onEvent: @escaping @Sendable (RegistryEvent) -> Void = { _ in }
    ) {
        var byName: [String: any Provider] = [:]
        for provider in providers where byName[provider.name] == nil { byName[provider.name] = provider }
        var routes = routing.providers.filter { byName[$0.name] != nil }
        for provider in providers where !routes.contains(where: { $0.name == provider.name }) {
            routes.append(ProviderRoute(name: provider.name, models: []))
        }
        var table = routing
        table.providers = routes
        let slots = routes.compactMap { route in
            byName[route.name].map { ProviderSlot(provider: $0, route: route, breaker: breaker, onEvent: onEvent) }
        }
        self.clock = clock
        self.backoff = backoff
        self.onEvent = onEvent
        self.resolver = Resolver(routing: table)
        self.slots = slots
        self.slotsByName = Dictionary(slots.map { ($0.route.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The ordered candidates for a request from `agent` naming `model`: the rules `plan` resolves by.
    ///
    /// - `provider/model`, when the part before the first `/` names a provider, is taken exactly; when that
    ///   provider lists models, the model must be one of them (the model part may contain `/`);
    /// - an alias expands to its members, in order;
    /// - a bare model name resolves to the one provider listing it (listed by two: `unknown_model`,
    ///   asking to qualify it);
    /// - no model: the agent's chain; an agent without models uses the `default` agent's chain;
    /// - an agent missing from the config acts as `default`.
    ///
    /// Allow-list rule: when the agent lists models, every candidate the requested name resolves to must
    /// be one its own list resolves to. So a request may name a chain entry, another spelling of one
    /// (bare or qualified), or an alias whose members are all allowed; anything else is `forbidden`. An
    /// agent that lists no models may use any configured model.
    public func resolve(agent: String, model: String?) throws(SidecarError) -> [Candidate] {
        try resolver.resolve(agent: agent, model: model)
    }

    /// The names `agent` may request, its chain first, then allowed aliases: the `hello` frame's models.
    public func models(for agent: String) -> [String] {
        resolver.models(for: agent)
    }

    /// Each provider's state for the `status` report's `providers` array, in config order: name, kind,
    /// state (closed | open | half_open), open_until, consecutive_failures, last_error {code, message,
    /// at}, last_success, in_flight, health_check {ok, latency_ms, at}. Times are ISO 8601.
    public func statusReport() -> JSONValue {
        let now = clock.now()
        return .array(slots.map { $0.status(now: now, clock: clock) })
    }

    /// A snapshot of one provider's breaker, nil for an unknown name.
    public func breaker(for provider: String) -> CircuitBreaker? {
        slotsByName[provider]?.breaker
    }

    /// Requests currently running on `provider`.
    public func inFlight(for provider: String) -> Int {
        slotsByName[provider]?.inFlight ?? 0
    }

    /// Starts one background task per provider with a health-check interval. Idempotent.
    public func startHealthChecks() {
        healthTasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            for slot in slots {
                guard let interval = slot.route.healthCheckInterval else { continue }
                tasks.append(
                    Task { [weak self, clock] in
                        while !Task.isCancelled {
                            do { try await clock.sleep(for: interval) } catch { return }
                            guard let self else { return }
                            await self.checkHealth(slot)
                        }
                    })
            }
        }
    }

    /// Stops the background health checks (at shutdown: the tasks hold the registry only weakly).
    public func stopHealthChecks() {
        let tasks = healthTasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in tasks { task.cancel() }
    }

    /// Runs one health check on every provider, concurrently, and records the results.
    public func checkHealth() async {
        await withTaskGroup(of: Void.self) { group in
            for slot in slots { group.addTask { await self.checkHealth(slot) } }
        }
    }

    /// A good check closes the breaker early; a failed one counts against it, except a request error
    /// (for example an upstream without a models endpoint), which only shows in `status`.
    private func checkHealth(_ slot: ProviderSlot) async {
        let start = clock.now()
        var failure: ProviderFailure?
        do {
            try await slot.provider.healthCheck()
        } catch let error as ProviderFailure {
            failure = error
        } catch {
            failure = ProviderFailure(.transient, "\(slot.route.name): health check failed: \(error)")
        }
        if Task.isCancelled { return }  // stopped mid-check: the result says nothing about the provider
        let now = clock.now()
        slot.recordHealthCheck(
            failure: failure?.sidecarError, counted: failure?.countsAgainstBreaker ?? true,
            latency: now - start, now: now)
    }
}
