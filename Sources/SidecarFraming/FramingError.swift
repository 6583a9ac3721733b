/// Why a byte stream could not be cut into messages.
///
/// `isFatal` tells the connection whether the stream can be resynchronised: after a fatal error the
/// reader no longer knows where the next message starts, so the connection must be closed after the
/// error is reported.
public enum FramingError: Error, Equatable, Sendable {
    /// A frame header announced a length of zero. The header was consumed; the stream stays usable.
    case emptyFrame
    /// A frame header (or a line) exceeded the configured maximum. Fatal.
    case frameTooLarge(length: Int, max: Int)
    /// The peer closed the connection inside a frame or line. Fatal.
    case truncated(buffered: Int)

    public var isFatal: Bool {
        switch self {
        case .emptyFrame: return false
        case .frameTooLarge, .truncated: return true
        }
    }
}
