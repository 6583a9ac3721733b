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
            let n = UInt32(payload.count)
            out.append(UInt8(truncatingIfNeeded: n >> 24))
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            out.append(UInt8(truncatingIfNeeded: n >> 8))
            out.append(UInt8(truncatingIfNeeded: n))
            out.append(contentsOf: payload)
        case .lines:
            out.append(contentsOf: payload)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
