import SidecarProtocol

/// Folds one vendor's server-sent events into normalized `StreamEvent`s.
///
/// A folder is a pure value: it is fed the events in order and never does I/O, so it can be tested
/// event by event without a server.
protocol StreamFolder: Sendable {
    /// True once the vendor's terminal event arrived; the rest of the body is not read.
    var isFinished: Bool { get }
    /// The usage upstream reported so far, nil when none; attached to a failure (`SSEEventReader`), because
    /// usage reported before content is held back and would otherwise be lost with the failed attempt.
    var reportedUsage: Usage? { get }
    /// Folds one event (`event` is the SSE `event:` field, `data` the joined `data:` lines).
    /// Throws `ProviderFailure` for error events and malformed data.
    mutating func fold(event: String?, data: String) throws -> [StreamEvent]
    /// The body ended. Returns the closing events, or throws when the stream was cut short.
    mutating func end() throws -> [StreamEvent]
}
