/// One dispatched Server-Sent Event.
public struct SSEEvent: Equatable, Sendable {
    /// The `event:` field, or `"message"` when the event had none.
    public var event: String
    /// The `data:` lines joined with `"\n"`.
    public var data: String
    /// The last event ID in effect when the event was dispatched (it persists across events, as the
    /// WHATWG spec says); nil when the stream never sent an `id:` field.
    public var id: String?
    /// The reconnection time in milliseconds from a `retry:` field seen since the previous dispatch.
    public var retry: Int?

    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// Why `SSEParser` refused its input.
public enum SSEParserError: Error, Sendable, Equatable {
    /// A line grew past the configured cap before its line ending arrived.
    case lineTooLong(limit: Int)
    /// One event's `data:` lines added up to more than the configured cap before the blank line that ends it.
    case eventTooLarge(limit: Int)
}
