/// A message the sidecar sends. `payload` gives the JSON bytes a frame or line carries.
public enum ServerMessage: Sendable {
    case hello(id: String?, server: String, version: String, agent: String?, models: [String], maxFrame: Int)
    case chunk(id: String, seq: Int, delta: Delta)
    case done(id: String, CompletionResult)
    /// `id` is nil when no id could be read from the offending message.
    case error(id: String?, SidecarError)
    /// Payloads built by their handlers (the report objects of usage and status).
    case usage(id: String, JSONValue)
    case status(id: String, JSONValue)
    case pong(id: String)

    public var json: JSONValue {
        switch self {
        case .hello(let id, let server, let version, let agent, let models, let maxFrame):
            return [
                "type": "hello", "id": JSONValue(id), "protocol": JSONValue(protocolVersion),
                "server": ["name": .string(server), "version": .string(version)], "agent": JSONValue(agent),
                "models": .array(models.map { .string($0) }), "max_frame": JSONValue(maxFrame),
            ]
        case .chunk(let id, let seq, let delta):
            return ["type": "chunk", "id": .string(id), "seq": JSONValue(seq), "delta": delta.json]
        case .done(let id, let r):
            var done: [String: JSONValue] = [
                "type": "done", "id": .string(id), "provider": .string(r.provider), "model": .string(r.model),
                "stop_reason": .string(r.stopReason.rawValue), "content": .array(r.content.map(\.json)),
                "usage": r.usage.json(costUSD: r.costUSD), "attempts": .array(r.attempts.map(\.json)),
                "ttft_ms": JSONValue(r.ttftMs), "latency_ms": JSONValue(r.latencyMs),
            ]
            if let sequence = r.stopReason.stopSequence { done["stop_sequence"] = .string(sequence) }
            return .object(done)
        case .error(let id, let error):
            return ["type": "error", "id": JSONValue(id), "error": error.json]
        case .usage(let id, let report):
            return ["type": "usage", "id": .string(id), "report": report]
        case .status(let id, let report):
            return ["type": "status", "id": .string(id), "report": report]
        case .pong(let id):
            return ["type": "pong", "id": .string(id)]
        }
    }

    public var payload: [UInt8] { json.encoded() }
}
