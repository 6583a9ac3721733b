import SidecarLedger
import SidecarRegistry
import SidecarSpending
import SidecarTransport

/// What request handlers share: the registry, the ledger, budgets and prices. Built from the config by
/// `SidecarContext.make(config:environment:logger:)`.
public final class SidecarContext: Sendable {
    public static let serverName = "provider-sidecar"
    public static let version = "0.1.0"
    /// The agent a request acts as when it names none on an unbound listener.
    public static let defaultAgent = "default"

    let registry: Registry
    let routing: RoutingTable
    let ledger: Ledger
    let budgets: BudgetBook
    let agentBudgets: [String: Budget]
    let pricing: Pricing
    let logger: Logger

    public init(
        registry: Registry, routing: RoutingTable, ledger: Ledger, budgets: BudgetBook,
        agentBudgets: [String: Budget], pricing: Pricing, logger: Logger
    ) {
        self.registry = registry
        self.routing = routing
        self.ledger = ledger
        self.budgets = budgets
        self.agentBudgets = agentBudgets
        self.pricing = pricing
        self.logger = logger
    }

    /// Starts the registry's health checks (after the listeners are up, so startup is not delayed).
    public func startBackgroundWork() { registry.startHealthChecks() }

    /// Stops health checks and closes the ledger; after the server has drained.
    public func close() async {
        registry.stopHealthChecks()
        ledger.close()
    }
}
