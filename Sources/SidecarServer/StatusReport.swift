import SidecarProtocol

/// The `status` reply: the sidecar itself, every provider as the registry sees it, and the ledger's health.
enum StatusReport {
    static func make(server: Server?, context: SidecarContext) -> JSONValue {
        var sidecar: [String: JSONValue] = [
            "name": .string(SidecarContext.serverName), "version": .string(SidecarContext.version),
        ]
        if let server {
            sidecar["uptime_s"] = .number(Double(server.uptime.components.seconds))
            sidecar["connections"] = JSONValue(server.connectionCount)
            sidecar["in_flight"] = JSONValue(server.inFlightCount)
            sidecar["phase"] = .string("\(server.phase)")
        }
        return [
            "sidecar": .object(sidecar),
            "providers": context.registry.statusReport(),
            "ledger": context.ledger.health.json,
        ]
    }
}
