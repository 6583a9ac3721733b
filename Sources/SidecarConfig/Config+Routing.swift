import SidecarRegistry

extension Config {
    /// What the registry routes by: the providers' routes, the agents and the aliases.
    public var routing: RoutingTable {
        var routing = RoutingTable(providers: providers.map(\.route), agents: agents, aliases: aliases)
        // The chain may not outlive the slowest provider's own total limit.
        if let slowest = providers.compactMap(\.settings.timeouts.total).max() { routing.requestDeadline = slowest }
        return routing
    }

    /// The registry's reading of model references, which validation and `check-config` use too.
    public var resolver: Resolver { Resolver(routing: routing) }
}
