/// How the bytes of a simulated stream are laid out on the wire. None of it changes the events' meaning, so a
/// correct client decodes the same result for every shape.
public struct Shape: Sendable, Equatable {
    /// Delay between two SSE events; nil uses the server's default pacing.
    public var pacingMilliseconds: Double?
    /// How each event's bytes are cut into separate writes (and HTTP chunks).
    public var split: Split
    /// The line terminator of every SSE line, blank separator lines included.
    public var lineEnding: LineEnding
    /// Writes a `: keepalive` comment block before every event.
    public var comments: Bool
    /// Starts the stream with a UTF-8 byte order mark, which SSE parsers must skip.
    public var byteOrderMark: Bool

    public init(
        pacingMilliseconds: Double? = nil, split: Split = .none, lineEnding: LineEnding = .lf, comments: Bool = false,
        byteOrderMark: Bool = false
    ) {
        self.pacingMilliseconds = pacingMilliseconds
        self.split = split
        self.lineEnding = lineEnding
        self.comments = comments
        self.byteOrderMark = byteOrderMark
    }

    /// This shape with every setting that `other` changes from the default taken from `other`.
    func overridden(by other: Shape) -> Shape {
        var merged = self
        if other.pacingMilliseconds != nil { merged.pacingMilliseconds = other.pacingMilliseconds }
        if other.split != .none { merged.split = other.split }
        if other.lineEnding != .lf { merged.lineEnding = other.lineEnding }
        if other.comments { merged.comments = true }
        if other.byteOrderMark { merged.byteOrderMark = true }
        return merged
    }
}

/// Where an event's bytes are cut into separate socket writes.
public enum Split: Sendable, Equatable {
    /// One write per event.
    case none
    /// Pieces of `n` bytes (1 cuts inside every multi-byte UTF-8 character and between every CR and LF).
    case every(Int)
    /// Cuts at pseudo-random points drawn from `seed` (deterministic for a given seed).
    case random(seed: UInt64)
}

/// The SSE line terminator; the WHATWG grammar allows all three.
public enum LineEnding: String, Sendable, Equatable {
    case lf
    case crlf
    case cr

    var bytes: String {
        switch self {
        case .lf: "\n"
        case .crlf: "\r\n"
        case .cr: "\r"
        }
    }
}
