/// Wraps one JSON payload for the wire in the connection's mode.
public enum FrameEncoder {
    /// Framed: the 4-byte big-endian length then the payload. Lines: the payload then `\n`.
    ///
    /// The payload must be compact JSON (no raw newline), which every encoder in this package produces.
    public static func encode(_ payload: [UInt8], mode: WireMode) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 4)
        switch mode {
        case .framed:
            out.append(contentsOf: header(length: payload.count))
            out.append(contentsOf: payload)
        case .lines:
            out.append(contentsOf: payload)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Payloads of at least this size are not copied into a frame: `pieces` returns them as they are.
    public static let copyLimit = 16 << 10

    /// The frame as byte runs to write in order: one copied run for a small payload, else the payload itself
    /// between its delimiters, so a large answer is never copied to be sent.
    public static func pieces(_ payload: [UInt8], mode: WireMode) -> [[UInt8]] {
        guard payload.count >= copyLimit else { return [encode(payload, mode: mode)] }
        switch mode {
        case .framed: return [header(length: payload.count), payload]
        case .lines: return [payload, [UInt8(ascii: "\n")]]
        }
    }

    /// The u32 big-endian length prefix.
    public static func header(length: Int) -> [UInt8] {
        let n = UInt32(length)
        return [
            UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
            UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n),
        ]
    }
}
