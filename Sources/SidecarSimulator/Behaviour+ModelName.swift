import SidecarSimGrammar

extension Behaviour {
    /// The behaviour a model name selects when nothing is queued, so the real binary can be driven without the
    /// Swift API. The grammar is `SimModel`'s, shared with the in-process `simulated` provider; the names are
    /// listed in README.md, "Simulated model names". Anything else: a deterministic sentence derived from the
    /// last user message.
    public static func forModel(_ model: String) -> Behaviour {
        let parsed = SimModel(parsing: model)
        let reply = Reply(simModel: parsed)
        let core: Behaviour
        switch parsed.outcome {
        case .reply: core = .reply(reply)
        case .fail(let status):
            core = .status(status, retryAfter: parsed.outcome.retryAfterSeconds.map(String.init))
        // A listening server cannot refuse a connection it accepted: closing it unanswered is the nearest.
        case .connectionRefused: core = .abortAfter(events: 0, reply: reply)
        case .timedOut, .hang: core = .hang
        case .abort(let events): core = .abortAfter(events: events, reply: reply)
        // One event: `message_start` (or the first chunk), so the error comes before any content.
        case .errorEvent(let events): core = .errorEvent(afterEvents: events ?? 1, reply: reply)
        }
        let shape = Shape(simModel: parsed)
        return shape == Shape() ? core : .shaped(core, shape)
    }
}

extension Reply {
    /// The content and usage a model name asks for.
    init(simModel parsed: SimModel) {
        self.init(callsOfferedTool: parsed.callsTool, unknownEvents: parsed.unknownEvents)
        if parsed.reportsCache {
            cacheReadTokens = SimModel.cacheReadTokens
            cacheWriteTokens = SimModel.cacheWriteTokens
        }
        switch parsed.usage {
        case .standard: usage = .standard
        case .none: usage = .none
        case .onlyInMessageDelta: usage = .onlyInMessageDelta
        }
        switch parsed.finish {
        case .maxTokens: finish = .maxTokens
        case .contentFilter: finish = .contentFilter
        case nil: finish = nil
        }
    }
}

extension Shape {
    /// The pacing and wire layout a model name asks for.
    init(simModel parsed: SimModel) {
        self.init(
            pacingMilliseconds: parsed.pacingMilliseconds.map(Double.init), comments: parsed.wire.comments,
            byteOrderMark: parsed.wire.byteOrderMark)
        switch parsed.wire.split {
        case .none: split = .none
        case .every(let bytes): split = .every(bytes)
        case .random: split = .random(seed: 42)
        }
        switch parsed.wire.lineEnding {
        case .lf: lineEnding = .lf
        case .crlf: lineEnding = .crlf
        case .cr: lineEnding = .cr
        }
    }
}
