/// How one connection delimits its messages; chosen once, by the first byte the client sends.
public enum WireMode: Sendable, Equatable {
    /// u32 big-endian length, then that many bytes of JSON.
    case framed
    /// One JSON object per `\n`-terminated line (for `socat`). Chosen when the first byte is `{`.
    case lines

    /// The byte that switches a connection to line mode.
    public static let lineModeMarker: UInt8 = UInt8(ascii: "{")
}
