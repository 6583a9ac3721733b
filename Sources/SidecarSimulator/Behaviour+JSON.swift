import Foundation

/// Why a control-API behaviour object was refused.
public struct BehaviourParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension Behaviour {
    /// Parses the JSON object `POST /_sim/enqueue` accepts (fields as in `Behaviour`, `Reply` and `Shape`):
    ///
    ///     {"kind": "reply" | "status" | "hang" | "abort" | "error_event" | "raw" | "model",
    ///      "text", "tool_calls": [{"id", "name", "input_json" | "input"}], "input_tokens", "output_tokens",
    ///      "cache_read_tokens", "cache_write_tokens", "usage": "standard" | "none" | "only_in_message_delta",
    ///      "unknown_events", "finish",                                  // reply, abort, error_event
    ///      "status", "body", "retry_after",                             // status
    ///      "status", "headers": {name: value}, "body",                  // raw
    ///      "events" | "after_events", "type",                           // abort, error_event
    ///      "model",                                                     // model: the model-name rules
    ///      "pacing_ms", "split": N | "random", "seed", "line_ending": "lf" | "crlf" | "cr", "comments", "bom"}
    public init(json object: [String: Any]) throws {
        let kind = object["kind"] as? String ?? "reply"
        let core: Behaviour
        switch kind {
        case "reply":
            core = .reply(try Reply(json: object))
        case "status":
            guard let status = Self.int(object["status"]), (100...599).contains(status) else {
                throw BehaviourParseError(description: "status needs an integer \"status\" between 100 and 599")
            }
            let retryAfter = object["retry_after"].flatMap { Self.int($0).map(String.init) ?? ($0 as? String) }
            core = .status(status, body: object["body"] as? String, retryAfter: retryAfter)
        case "raw":
            guard let status = Self.int(object["status"]), (100...599).contains(status) else {
                throw BehaviourParseError(description: "raw needs an integer \"status\" between 100 and 599")
            }
            core = .raw(
                status: status, headers: object["headers"] as? [String: String] ?? [:],
                body: object["body"] as? String ?? "")
        case "hang":
            core = .hang
        case "abort":
            let events = Self.int(object["events"]) ?? Self.int(object["after_events"]) ?? 0
            core = .abortAfter(events: events, reply: try Reply(json: object))
        case "error_event":
            let type = object["type"] as? String ?? "overloaded_error"
            core = .errorEvent(
                afterEvents: Self.int(object["after_events"]) ?? 1, type: type, reply: try Reply(json: object))
        case "model":
            guard let model = object["model"] as? String else {
                throw BehaviourParseError(description: "model needs a \"model\" string")
            }
            core = .forModel(model)
        default:
            throw BehaviourParseError(description: "unknown kind \"\(kind)\"")
        }
        let shape = try Shape(json: object)
        self = shape == Shape() ? core : core.reshapedWith(shape)
    }

    private func reshapedWith(_ shape: Shape) -> Behaviour {
        let (core, inner) = unshaped
        return .shaped(core, inner.overridden(by: shape))
    }

    static func int(_ value: Any?) -> Int? {
        (value as? NSNumber)?.intValue
    }
}

extension Reply {
    init(json object: [String: Any]) throws {
        self.init(
            text: object["text"] as? String, inputTokens: Behaviour.int(object["input_tokens"]),
            outputTokens: Behaviour.int(object["output_tokens"]),
            cacheReadTokens: Behaviour.int(object["cache_read_tokens"]) ?? 0,
            cacheWriteTokens: Behaviour.int(object["cache_write_tokens"]) ?? 0,
            unknownEvents: object["unknown_events"] as? Bool ?? false)
        if let usage = object["usage"] as? String {
            guard let parsed = UsageReporting(rawValue: usage) else {
                throw BehaviourParseError(description: "unknown usage \"\(usage)\"")
            }
            self.usage = parsed
        }
        if let finish = object["finish"] as? String {
            guard let parsed = Finish(rawValue: finish) else {
                throw BehaviourParseError(description: "unknown finish \"\(finish)\"")
            }
            self.finish = parsed
        }
        for call in object["tool_calls"] as? [[String: Any]] ?? [] {
            guard let name = call["name"] as? String else {
                throw BehaviourParseError(description: "a tool call needs a \"name\"")
            }
            toolCalls.append(ToolCall(id: call["id"] as? String, name: name, inputJSON: try Self.inputJSON(of: call)))
        }
    }

    private static func inputJSON(of call: [String: Any]) throws -> String {
        if let text = call["input_json"] as? String { return text }
        guard let input = call["input"] else { return "{}" }
        let data = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }
}

extension Shape {
    init(json object: [String: Any]) throws {
        self.init()
        if let pacing = object["pacing_ms"] as? NSNumber { pacingMilliseconds = pacing.doubleValue }
        if let every = Behaviour.int(object["split"]), every > 0 {
            split = .every(every)
        } else if object["split"] as? String == "random" {
            split = .random(seed: UInt64(Behaviour.int(object["seed"]) ?? 42))
        }
        if let ending = object["line_ending"] as? String {
            guard let parsed = LineEnding(rawValue: ending) else {
                throw BehaviourParseError(description: "unknown line_ending \"\(ending)\"")
            }
            lineEnding = parsed
        }
        comments = object["comments"] as? Bool ?? false
        byteOrderMark = object["bom"] as? Bool ?? false
    }
}
