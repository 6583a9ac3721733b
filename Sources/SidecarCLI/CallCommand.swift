import Foundation
import SidecarProtocol

/// `provider-sidecar call PROMPT`: one completion, text streamed to stdout, a usage line on stderr.
struct CallCommand: Command {
    static let usage = """
        usage: provider-sidecar call [--socket PATH] [--agent A] [--model M] [--system TEXT]
                                     [--max-tokens N] [--no-stream] PROMPT

        Sends PROMPT as one user message and streams the answer to stdout; prints the provider, model,
        token usage and cost on stderr. Exits 1 if the sidecar answers with an error.

        """
    static let options: Set<String> = ["--socket", "--agent", "--model", "--system", "--max-tokens"]
    static let flags: Set<String> = ["--no-stream"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard !args.positionals.isEmpty else { throw Arguments.UsageError(description: "call needs a PROMPT") }
        var request: [String: JSONValue] = [
            "type": "complete", "id": "call-1", "stream": .bool(!args.has("--no-stream")),
            "messages": [["role": "user", "content": .string(args.positionals.joined(separator: " "))]],
        ]
        if let agent = args["--agent"] { request["agent"] = .string(agent) }
        if let model = args["--model"] { request["model"] = .string(model) }
        if let system = args["--system"] { request["system"] = .string(system) }
        if let text = args["--max-tokens"] {
            guard let n = Int(text), n > 0 else {
                throw Arguments.UsageError(description: "--max-tokens must be a positive integer, got \"\(text)\"")
            }
            request["max_tokens"] = JSONValue(n)
        }
        let client = try SidecarClient(path: SocketPath.resolve(args["--socket"]))
        return try stream(.object(request), over: client)
    }

    /// Sends `request` and renders its chunks and terminal frame. Shared with `demo`.
    static func stream(_ request: JSONValue, over client: SidecarClient) throws -> ExitCode {
        try client.send(request)
        var streamedText = false
        while let message = try client.receive() {
            guard message["id"] == request["id"] else { continue }
            switch message["type"]?.stringValue {
            case "chunk":
                if let text = message["delta"]?["text"]?.stringValue {
                    Terminal.out(text)
                    streamedText = true
                }
            case "done":
                render(done: message, textAlreadyShown: streamedText)
                return .success
            case "error":
                let error = message["error"]
                Terminal.err("\nerror \(error?["code"]?.stringValue ?? "?"): \(error?["message"]?.stringValue ?? "")\n")
                return .failure
            default:
                continue
            }
        }
        Terminal.err("the sidecar closed the connection before the answer ended\n")
        return .failure
    }

    private static func render(done: JSONValue, textAlreadyShown: Bool) {
        for block in done["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text" where !textAlreadyShown:
                Terminal.out(block["text"]?.stringValue ?? "")
            case "tool_use":
                let input = String(decoding: (block["input"] ?? [:]).encoded(), as: UTF8.self)
                Terminal.out("\n[tool call \(block["name"]?.stringValue ?? "?")] \(input)")
            default:
                continue
            }
        }
        Terminal.out("\n")
        Terminal.err(UsageLine.format(done) + "\n")
    }
}

/// The one-line usage summary `call` and `demo` print after an answer.
enum UsageLine {
    static func format(_ done: JSONValue) -> String {
        let usage = done["usage"]
        func n(_ key: String) -> Int { usage?[key]?.intValue ?? 0 }
        let cost = usage?["cost_usd"]?.doubleValue.map { String(format: "$%.6f", $0) } ?? "cost unknown (no price)"
        let reported = usage?["reported"]?.boolValue == false ? " (usage not reported by upstream)" : ""
        return "\(done["provider"]?.stringValue ?? "?")/\(done["model"]?.stringValue ?? "?")"
            + " · \(done["stop_reason"]?.stringValue ?? "?")"
            + " · input \(n("input_tokens")) · output \(n("output_tokens"))"
            + " · cache read \(n("cache_read_tokens")) write \(n("cache_write_tokens"))\(reported)"
            + " · \(cost) · ttft \(done["ttft_ms"]?.intValue.map { "\($0) ms" } ?? "-")"
            + " · total \(done["latency_ms"]?.intValue ?? 0) ms"
    }
}
