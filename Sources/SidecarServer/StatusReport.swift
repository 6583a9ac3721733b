import Foundation
import SidecarLedger
import SidecarProtocol
import SidecarTransport

/// The `status` reply: the sidecar itself, every provider as the registry sees it, the ledger's health, and
/// each agent's spending today against its budget.
///
/// On a bound listener `agents` holds the bound agent only: an agent may learn about the shared providers
/// (their breakers are everyone's concern) but not what other agents spend.
enum StatusReport {
    static func make(server: Server?, context: SidecarContext, boundAgent: String?) -> JSONValue {
        var sidecar: [String: JSONValue] = [
            "name": .string(SidecarContext.serverName), "version": .string(SidecarContext.version),
        ]
        if let server {
            sidecar["uptime_s"] = .number(Double(server.uptime.components.seconds))
            sidecar["connections"] = JSONValue(server.connectionCount)
            sidecar["in_flight"] = JSONValue(server.inFlightCount)
            sidecar["phase"] = .string("\(server.phase)")
        }
        let agents =
            boundAgent.map { [context.routing.accountableAgent($0)] }
            ?? context.routing.agents.keys.sorted()
        return [
            "sidecar": .object(sidecar),
            "providers": context.registry.statusReport(),
            "ledger": context.ledger.health.json,
            "agents": .array(agents.map { agentStatus($0, context: context) }),
        ]
    }

    /// `{"name", "spent_tokens_today", "spent_usd_today", "reserved_tokens", "budget": {...} | null}`.
    private static func agentStatus(_ agent: String, context: SidecarContext) -> JSONValue {
        let spent = context.budgets.snapshot(agent: agent, now: Date())
        let budget = context.agentBudgets[agent].map { budget -> JSONValue in
            [
                "tokens_per_day": JSONValue(budget.tokensPerDay), "usd_per_day": JSONValue(budget.usdPerDay),
                "requests_per_minute": JSONValue(budget.requestsPerMinute),
            ]
        }
        return [
            "name": .string(agent), "spent_tokens_today": JSONValue(spent.spentTokens),
            "spent_usd_today": .number(spent.spentUSD), "reserved_tokens": JSONValue(spent.reservedTokens),
            "budget": budget ?? .null,
        ]
    }
}
