/// How the HTTP simulator lays out the bytes of a stream; none of it changes the events' meaning.
public struct SimWireShape: Sendable, Equatable {
    /// Where each event's bytes are cut into separate writes.
    public var split: SimSplit
    /// The SSE line terminator.
    public var lineEnding: SimLineEnding
    /// `sim-comments`: a `: keepalive` comment before every event.
    public var comments: Bool
    /// `sim-bom`: a UTF-8 byte order mark before the first event.
    public var byteOrderMark: Bool

    public init(
        split: SimSplit = .none, lineEnding: SimLineEnding = .lf, comments: Bool = false, byteOrderMark: Bool = false
    ) {
        self.split = split
        self.lineEnding = lineEnding
        self.comments = comments
        self.byteOrderMark = byteOrderMark
    }
}

/// Where an event's bytes are cut.
public enum SimSplit: Sendable, Equatable {
    /// One write per event.
    case none
    /// `sim-split-N`: pieces of N bytes.
    case every(Int)
    /// `sim-split-random`: cuts at pseudo-random but reproducible points.
    case random
}

/// The SSE line terminator: `sim-crlf`, `sim-cr`, else LF.
public enum SimLineEnding: Sendable, Equatable {
    case lf
    case crlf
    case cr
}
