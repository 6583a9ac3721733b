import Foundation
import SidecarProtocol

/// `provider-sidecar status`: the running sidecar's view of itself and its providers.
struct StatusCommand: Command {
    static let usage = """
        usage: provider-sidecar status [--socket PATH] [--json]

        Shows uptime, connections, in-flight requests, and per provider: kind, circuit breaker state,
        consecutive failures, last error, last success, in-flight count, last health-check latency.

        """
    static let options: Set<String> = ["--socket"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard args.positionals.isEmpty else { throw Arguments.UsageError(description: "status takes no arguments") }
        let client = try SidecarClient(path: SocketPath.resolve(args["--socket"]))
        let reply = try client.request(["type": "status", "id": "status-1"])
        guard let report = reply["report"] else {
            Terminal.err("unexpected reply: \(String(decoding: reply.encoded(), as: UTF8.self))\n")
            return .failure
        }
        Terminal.out(args.has("--json") ? String(decoding: report.encoded(), as: UTF8.self) + "\n" : render(report))
        return .success
    }

    static func render(_ report: JSONValue) -> String {
        let sidecar = report["sidecar"]
        var out = "provider-sidecar \(sidecar?["version"]?.stringValue ?? "?")"
        out += " · up \(sidecar?["uptime_s"]?.intValue ?? 0) s · \(sidecar?["connections"]?.intValue ?? 0) connections"
        out += " · \(sidecar?["in_flight"]?.intValue ?? 0) in flight\n"
        if let ledger = report["ledger"] {
            let state = ledger["state"]?.stringValue ?? "?"
            let problem =
                ledger["error"]?.stringValue.map { " since \(ledger["since"]?.stringValue ?? "?"): \($0)" } ?? ""
            out += "ledger: \(state)\(problem)\n"
        }
        var rows = [["PROVIDER", "KIND", "BREAKER", "FAILS", "IN FLIGHT", "LAST SUCCESS", "HEALTH", "LAST ERROR"]]
        for provider in report["providers"]?.arrayValue ?? [] {
            let lastError = provider["last_error"].flatMap { e -> String? in
                guard let code = e["code"]?.stringValue else { return nil }
                return "\(code): \(e["message"]?.stringValue ?? "")"
            }
            let health = provider["health_check"].flatMap { check -> String? in
                guard let ok = check["ok"]?.boolValue else { return nil }
                return "\(ok ? "ok" : "failed") \(check["latency_ms"]?.intValue ?? 0) ms"
            }
            var breaker = provider["state"]?.stringValue ?? "?"
            if let until = provider["open_until"]?.stringValue { breaker += " until \(until)" }
            rows.append([
                provider["name"]?.stringValue ?? "?", provider["kind"]?.stringValue ?? "?", breaker,
                String(provider["consecutive_failures"]?.intValue ?? 0), String(provider["in_flight"]?.intValue ?? 0),
                provider["last_success"]?.stringValue ?? "-", health ?? "-", lastError ?? "-",
            ])
        }
        return out + TextTable.render(rows)
    }
}
