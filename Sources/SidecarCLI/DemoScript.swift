import Foundation
import SidecarLedger
import SidecarProtocol
import SidecarSimulator

/// What the demo's client does, step by step, printing as it goes.
struct DemoScript {
    let socket: String
    let upstream: SimulatedUpstream

    func run() -> ExitCode {
        do {
            let client = try SidecarClient(path: socket)
            step(1, "Streaming a completion (agent default: anthropic/claude-demo first)")
            guard
                try CallCommand.stream(
                    complete("d1", "Explain in one line what a sidecar process does."),
                    over: client) == .success
            else { return .failure }

            step(2, "A tool call, through the OpenAI provider (agent researcher: openai/sim-tools)")
            let weather: JSONValue = [
                "name": "get_weather", "description": "Current weather for a city",
                "input_schema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
            ]
            guard
                try CallCommand.stream(
                    complete(
                        "d2", "What is the weather in Lisbon?", agent: "researcher",
                        tools: [weather]), over: client) == .success
            else { return .failure }

            step(3, "Failover: the Anthropic upstream answers 529 Overloaded twice")
            upstream.enqueue(.status(529), count: 2)
            try client.send(complete("d3", "Are you still there?"))
            let done = try client.collect("d3").terminal
            for attempt in done["attempts"]?.arrayValue ?? [] {
                let outcome = attempt["error"]?.stringValue ?? "ok"
                Terminal.out(
                    "   attempt \(attempt["provider"]?.stringValue ?? "?")/\(attempt["model"]?.stringValue ?? "?")"
                        + " -> \(outcome) (\(attempt["duration_ms"]?.intValue ?? 0) ms)\n")
            }
            Terminal.out(
                "   answered by \(done["provider"]?.stringValue ?? "?")/\(done["model"]?.stringValue ?? "?")\n")

            step(4, "Usage from the ledger, by model")
            let usage = try client.request(["type": "usage", "id": "u", "group_by": "model"])
            Terminal.out(try UsageReport(json: usage["report"] ?? [:]).table())

            step(5, "Status")
            Terminal.out(StatusCommand.render(try client.request(["type": "status", "id": "s"])["report"] ?? [:]))
            Terminal.out(
                """

                Done. Next: `provider-sidecar serve --config examples/sim-config.json` (offline), or
                adapt examples/sidecar.json to your keys and models; see README.md.

                """)
            return .success
        } catch {
            Terminal.err("demo failed: \(error)\n")
            return .failure
        }
    }

    private func step(_ n: Int, _ title: String) { Terminal.out("\n\(n). \(title)\n") }

    private func complete(_ id: String, _ prompt: String, agent: String? = nil, tools: [JSONValue] = []) -> JSONValue {
        var fields: [String: JSONValue] = [
            "type": "complete", "id": .string(id), "messages": [["role": "user", "content": .string(prompt)]],
            "metadata": ["demo_step": .string(id)],
        ]
        if let agent { fields["agent"] = .string(agent) }
        if !tools.isEmpty { fields["tools"] = .array(tools) }
        return .object(fields)
    }
}
