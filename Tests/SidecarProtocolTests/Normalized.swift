import SidecarProtocol

/// The normalized form of a decoded client message, as proto-spec/vectors/README.md defines it: every
/// field present with its default, string content expanded to blocks, unknown fields dropped.
extension ClientMessage {
    var normalized: JSONValue {
        switch self {
        case .hello(let id, let version, let client):
            return ["type": "hello", "id": JSONValue(id), "protocol": JSONValue(version), "client": JSONValue(client)]
        case .complete(let r):
            return [
                "type": "complete", "id": .string(r.id), "agent": JSONValue(r.agent), "model": JSONValue(r.model),
                "system": JSONValue(r.system),
                "messages": .array(
                    r.messages.map { ["role": .string($0.role.rawValue), "content": blocks($0.content)] }),
                "max_tokens": JSONValue(r.maxTokens), "temperature": JSONValue(r.temperature),
                "top_p": JSONValue(r.topP), "stop": .array(r.stop.map { .string($0) }),
                "tools": .array(
                    r.tools.map {
                        [
                            "name": .string($0.name), "description": JSONValue($0.description),
                            "input_schema": $0.inputSchema,
                        ]
                    }),
                "tool_choice": r.toolChoice ?? .null, "stream": .bool(r.stream), "cache": .bool(r.cache),
                "metadata": r.metadata ?? .null, "thinking": r.thinking?.json ?? .null,
                "effort": JSONValue(r.effort?.rawValue),
            ]
        case .cancel(_, let target):
            return ["type": "cancel", "id": .string(target)]
        case .usage(let id, _):
            return ["type": "usage", "id": .string(id)]
        case .status(let id):
            return ["type": "status", "id": .string(id)]
        case .ping(let id):
            return ["type": "ping", "id": .string(id)]
        }
    }
}

private func blocks(_ content: [ContentBlock]) -> JSONValue {
    .array(
        content.map { block in
            switch block {
            case .toolResult(let id, let content, let isError):
                return [
                    "type": "tool_result", "tool_use_id": .string(id), "content": blocks(content),
                    "is_error": .bool(isError),
                ]
            default:
                return block.json
            }
        })
}
