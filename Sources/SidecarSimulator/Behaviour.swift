/// What the simulated upstream does with one completion request.
///
/// A behaviour is chosen per request: first from the FIFO queue filled by `SimulatedUpstream.enqueue` (or
/// `POST /_sim/enqueue`), else from the request's model name (see `Behaviour.forModel`). Every case works for
/// both APIs and for streaming and non-streaming requests; where a case only makes sense for a stream, its
/// non-streaming form is documented on the case.
public indirect enum Behaviour: Sendable, Equatable {
    /// A successful answer: text and/or tool calls with the given usage, streamed when the request says
    /// `"stream": true`, else one JSON object.
    case reply(Reply)

    /// An HTTP error status. `body` nil means the vendor's documented error JSON for that status (Anthropic
    /// `{"type":"error","error":{...},"request_id":...}`, OpenAI `{"error":{"message",...}}`); `retryAfter`
    /// becomes a `retry-after` header (seconds or an HTTP date, verbatim).
    case status(Int, body: String? = nil, retryAfter: String? = nil)

    /// Reads the request and never answers. The connection stays open until the client gives up, which the log
    /// records as a client disconnect.
    case hang

    /// Sends the response head and the first `events` SSE events of `reply` (every event counts, `ping` and
    /// `message_start` included), then closes the TCP connection without ending the chunked body.
    /// Non-streaming: closes the connection without any response.
    case abortAfter(events: Int, reply: Reply = Reply())

    /// Sends the first `afterEvents` SSE events of `reply`, then an in-stream error and ends the response
    /// cleanly: Anthropic `event: error` with `{"type":"error","error":{"type":TYPE,...}}`, OpenAI a
    /// `data: {"error":{...}}` line and no `[DONE]`. Non-streaming: the HTTP status matching `type`
    /// (overloaded_error 529, rate_limit_error 429, api_error 500, else 400) with the vendor's error body.
    case errorEvent(afterEvents: Int, type: String = "overloaded_error", reply: Reply = Reply())

    /// A fixed response, for wire cases the vendor scripts never produce (an HTML page, a content-coded body, a
    /// hand-made event stream): `status`, `headers` (written sorted by name, after `content-length`) and
    /// `body` verbatim, for streaming and non-streaming requests alike.
    case raw(status: Int, headers: [String: String] = [:], body: String)

    /// `behaviour` with its bytes shaped on the wire: pacing, split points, line endings, comments.
    case shaped(Behaviour, Shape)
}

extension Behaviour {
    /// A text reply with explicit usage.
    public static func reply(
        _ text: String, inputTokens: Int? = nil, outputTokens: Int? = nil, cacheReadTokens: Int = 0,
        cacheWriteTokens: Int = 0
    ) -> Behaviour {
        .reply(
            Reply(
                text: text, inputTokens: inputTokens, outputTokens: outputTokens, cacheReadTokens: cacheReadTokens,
                cacheWriteTokens: cacheWriteTokens))
    }

    /// A reply made of one tool call (and optionally some text before it).
    public static func toolUse(name: String, inputJSON: String, id: String? = nil, text: String? = nil) -> Behaviour {
        .reply(Reply(text: text ?? "", toolCalls: [ToolCall(id: id, name: name, inputJSON: inputJSON)]))
    }

    /// An OpenAI-compatible server that never reports usage (and an Anthropic-compatible one that omits it).
    public static var noUsage: Behaviour { .reply(Reply(usage: .none)) }

    /// An Anthropic-compatible backend that reports zeros in `message_start` and the real usage only in
    /// `message_delta`.
    public static var usageOnlyInMessageDelta: Behaviour { .reply(Reply(usage: .onlyInMessageDelta)) }

    /// A reply with events a client must skip: a `thinking` content block and an unknown event type
    /// (Anthropic), a `reasoning_content` delta field (OpenAI-compatible).
    public static var unknownEvents: Behaviour { .reply(Reply(unknownEvents: true)) }

    /// This behaviour with `milliseconds` between SSE events.
    public func paced(milliseconds: Double) -> Behaviour {
        reshaped { $0.pacingMilliseconds = milliseconds }
    }

    /// This behaviour with each event's bytes written in separate pieces.
    public func split(_ split: Split) -> Behaviour {
        reshaped { $0.split = split }
    }

    /// This behaviour with SSE lines ended by `ending`.
    public func lineEnding(_ ending: LineEnding) -> Behaviour {
        reshaped { $0.lineEnding = ending }
    }

    /// This behaviour with a `: keepalive` comment before every event.
    public func withComments() -> Behaviour {
        reshaped { $0.comments = true }
    }

    /// This behaviour with a byte order mark before the first event.
    public func withByteOrderMark() -> Behaviour {
        reshaped { $0.byteOrderMark = true }
    }

    /// The behaviour without its wire shaping, and the shaping (outer modifiers win over inner ones).
    var unshaped: (core: Behaviour, shape: Shape) {
        guard case .shaped(let inner, let shape) = self else { return (self, Shape()) }
        let (core, innerShape) = inner.unshaped
        return (core, innerShape.overridden(by: shape))
    }

    private func reshaped(_ change: (inout Shape) -> Void) -> Behaviour {
        let (core, shape) = unshaped
        var changed = shape
        change(&changed)
        return .shaped(core, changed)
    }
}
