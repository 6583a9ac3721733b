extension Behaviour {
    /// The behaviour a model name selects when nothing is queued, so the real binary can be driven without the
    /// Swift API. Parts joined by `+` combine (`sim-tools+crlf+split-1`); each part may carry the `sim-` prefix.
    ///
    /// | part | behaviour |
    /// |---|---|
    /// | `sim-fail-NNN` | HTTP status NNN with the vendor's error body (429 adds `retry-after: 1`) |
    /// | `sim-hang` | never answers |
    /// | `sim-abort-N` | closes the connection after N events |
    /// | `sim-error-event[-N]` | `overloaded_error` in the stream after N events (default 1: before content) |
    /// | `sim-tools` | a sentence then a `get_weather` tool call |
    /// | `sim-slow[-MS]`, `sim-pace-MS` | MS (default 200) milliseconds between events |
    /// | `sim-no-usage`, `sim-usage-delta-only` | see `UsageReporting` |
    /// | `sim-thinking` | unknown events (see `Behaviour.unknownEvents`) |
    /// | `sim-cache` | reports 1200 cache-read and 300 cache-write tokens |
    /// | `sim-max-tokens`, `sim-content-filter` | the matching finish reason |
    /// | `sim-split-N`, `sim-split-random`, `sim-crlf`, `sim-cr`, `sim-comments`, `sim-bom` | wire shaping |
    ///
    /// Anything else: a deterministic sentence derived from the last user message.
    public static func forModel(_ model: String) -> Behaviour {
        var rule = ModelRule()
        for part in model.split(separator: "+") {
            let name = part.hasPrefix("sim-") ? part.dropFirst(4) : part[...]
            rule.apply(String(name))
        }
        return rule.behaviour
    }
}

/// Accumulates the parts of a `sim-...` model name.
private struct ModelRule {
    var reply = Reply()
    var shape = Shape()
    var outcome: Outcome = .reply

    enum Outcome {
        case reply
        case status(Int)
        case hang
        case abort(Int)
        case errorEvent(Int)
    }

    var behaviour: Behaviour {
        let core: Behaviour
        switch outcome {
        case .reply: core = .reply(reply)
        case .status(let code): core = .status(code, retryAfter: code == 429 ? "1" : nil)
        case .hang: core = .hang
        case .abort(let events): core = .abortAfter(events: events, reply: reply)
        case .errorEvent(let events): core = .errorEvent(afterEvents: events, reply: reply)
        }
        return shape == Shape() ? core : .shaped(core, shape)
    }

    mutating func apply(_ name: String) {
        switch name {
        case "hang": outcome = .hang
        case "error-event": outcome = .errorEvent(1)
        case "tools":
            reply.text = "Let me look that up."
            reply.toolCalls = [ToolCall(name: "get_weather", inputJSON: #"{"location":"Paris","unit":"celsius"}"#)]
        case "slow": shape.pacingMilliseconds = 200
        case "no-usage": reply.usage = .none
        case "usage-delta-only": reply.usage = .onlyInMessageDelta
        case "thinking": reply.unknownEvents = true
        case "cache":
            reply.cacheReadTokens = 1200
            reply.cacheWriteTokens = 300
        case "max-tokens": reply.finish = .maxTokens
        case "content-filter": reply.finish = .contentFilter
        case "split-random": shape.split = .random(seed: 42)
        case "crlf": shape.lineEnding = .crlf
        case "cr": shape.lineEnding = .cr
        case "comments": shape.comments = true
        case "bom": shape.byteOrderMark = true
        default: applyNumbered(name)
        }
    }

    private mutating func applyNumbered(_ name: String) {
        guard let dash = name.lastIndex(of: "-"), let number = Int(name[name.index(after: dash)...]), number >= 0
        else { return }
        switch name[..<dash] {
        case "fail" where (100...599).contains(number): outcome = .status(number)
        case "abort": outcome = .abort(number)
        case "error-event": outcome = .errorEvent(number)
        case "slow", "pace": shape.pacingMilliseconds = Double(number)
        case "split" where number > 0: shape.split = .every(number)
        default: break
        }
    }
}
