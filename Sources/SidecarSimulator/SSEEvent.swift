/// One server-sent event before wire shaping.
struct SSEEvent {
    /// The `event:` field; nil writes only `data:` (OpenAI style).
    var name: String?
    var data: String

    /// The event's bytes: an optional `: keepalive` comment block, `event:`, `data:`, then the blank line.
    func bytes(_ shape: Shape) -> [UInt8] {
        let end = shape.lineEnding.bytes
        var text = shape.comments ? ": keepalive" + end + end : ""
        if let name { text += "event: " + name + end }
        text += "data: " + data + end + end
        return Array(text.utf8)
    }

    /// Cuts `bytes` where `split` says, drawing random cut points from `random`.
    static func pieces(of bytes: [UInt8], split: Split, random: inout SplitMix64) -> [ArraySlice<UInt8>] {
        switch split {
        case .none:
            return [bytes[...]]
        case .every(let size):
            let step = max(1, size)
            return stride(from: 0, to: bytes.count, by: step).map { bytes[$0..<min($0 + step, bytes.count)] }
        case .random:
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let length = 1 + Int(random.next() % 12)
                let end = min(start + length, bytes.count)
                pieces.append(bytes[start..<end])
                start = end
            }
            return pieces
        }
    }
}

/// A small deterministic generator, so a random split with a given seed always cuts at the same points.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
