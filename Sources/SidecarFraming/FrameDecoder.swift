/// Cuts an incoming byte stream into message payloads, in either wire mode.
///
/// Feed it whatever the socket delivered (`append`), then call `next()` until it returns nil. Input may
/// be split anywhere; the decoder keeps partial frames until they complete. It is a plain value with no
/// I/O, so tests drive it byte by byte.
///
///     framed:  [00 00 00 0f]{"type":"ping"}      -> {"type":"ping"}
///     lines:   {"type":"ping"}\n                  -> {"type":"ping"}
public struct FrameDecoder: Sendable {
    public private(set) var mode: WireMode?
    public let maxFrame: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// In line mode, how far the buffer has already been scanned for `\n`.
    private var scanned = 0

    public init(maxFrame: Int, mode: WireMode? = nil) {
        precondition(maxFrame > 0, "maxFrame must be positive")
        self.maxFrame = maxFrame
        self.mode = mode
    }

    /// Bytes received but not yet returned as a message.
    public var bufferedCount: Int { buffer.count - start }

    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
        if mode == nil, start < buffer.count {
            mode = buffer[start] == WireMode.lineModeMarker ? .lines : .framed
        }
    }

    /// The next complete message payload, or nil when more bytes are needed.
    public mutating func next() throws(FramingError) -> [UInt8]? {
        switch mode {
        case nil: return nil
        case .framed: return try nextFrame()
        case .lines: return try nextLine()
        }
    }

    /// Call when the peer closed its side: reports a message left incomplete.
    public func finish() throws(FramingError) {
        let rest = buffer[start...]
        if mode == .lines, rest.allSatisfy(Self.isBlank) { return }
        if !rest.isEmpty { throw .truncated(buffered: rest.count) }
    }

    private mutating func nextFrame() throws(FramingError) -> [UInt8]? {
        guard bufferedCount >= 4 else { return nil }
        var length = 0
        for i in 0..<4 { length = length << 8 | Int(buffer[start + i]) }
        if length == 0 {
            start += 4
            throw .emptyFrame
        }
        if length > maxFrame { throw .frameTooLarge(length: length, max: maxFrame) }
        guard bufferedCount >= 4 + length else { return nil }
        let payload = Array(buffer[(start + 4)..<(start + 4 + length)])
        start += 4 + length
        return payload
    }

    private mutating func nextLine() throws(FramingError) -> [UInt8]? {
        while true {
            scanned = max(scanned, start)
            guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = buffer.count
                // A trailing `\r` may still be stripped when its `\n` arrives, so it does not count yet:
                // the outcome must not depend on where the input was split.
                let pending = bufferedCount - (buffer.last == UInt8(ascii: "\r") ? 1 : 0)
                if pending > maxFrame { throw .frameTooLarge(length: pending, max: maxFrame) }
                return nil
            }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            scanned = start
            if line.count > maxFrame { throw .frameTooLarge(length: line.count, max: maxFrame) }
            if line.allSatisfy(Self.isBlank) { continue }
            return Array(line)
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }
}
