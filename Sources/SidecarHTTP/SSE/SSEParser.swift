/// An incremental, byte-level parser for `text/event-stream` bodies, following the WHATWG "Parsing an
/// event stream" and "Interpreting an event stream" rules.
///
/// Feed it the body pieces exactly as the network delivered them: a piece may end anywhere, inside a
/// line, between a CR and its LF, or inside a multi-byte UTF-8 character. Lines are decoded as UTF-8 only
/// once complete (invalid sequences become U+FFFD), so splits never corrupt text.
///
/// One deliberate deviation: the spec discards an event that is still pending when the stream ends.
/// LLM upstreams sometimes omit the final blank line, so `finish()` treats an unterminated last line as
/// complete and dispatches a pending event that has data.
///
/// Both what it buffers are capped: a line (`maxLineLength`) and the data of one event (`maxEventDataLength`),
/// so an upstream that never ends a line or an event cannot make it hold more.
public struct SSEParser: Sendable {
    public static let defaultMaxLineLength = 1 << 20
    public static let defaultMaxEventDataLength = 16 << 20

    /// The longest line accepted, in bytes, excluding its line ending.
    public let maxLineLength: Int
    /// The most data one event may accumulate, in UTF-8 bytes, counting one line break per `data:` line.
    public let maxEventDataLength: Int
    private var line: [UInt8] = []
    /// The previous piece ended with CR: an LF at the start of the next piece belongs to that line ending.
    private var pendingCR = false
    /// No line has been completed yet, so a leading BOM is still to be skipped.
    private var atStreamStart = true
    private var dataBuffer = ""
    private var eventTypeBuffer = ""
    private var lastEventID: String?
    private var retry: Int?

    public init(
        maxLineLength: Int = SSEParser.defaultMaxLineLength,
        maxEventDataLength: Int = SSEParser.defaultMaxEventDataLength
    ) {
        self.maxLineLength = maxLineLength
        self.maxEventDataLength = maxEventDataLength
    }

    /// Consumes the next piece of the stream and returns the events it completed, in order.
    /// Throws `SSEParserError.lineTooLong` when a line exceeds `maxLineLength` and `.eventTooLarge` when an
    /// event's data exceeds `maxEventDataLength`; the stream should then be abandoned.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(SSEParserError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        var failure: SSEParserError?
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            failure = consume(buffer, into: &events)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { buffer in failure = consume(buffer, into: &events) }
        }
        if let failure { throw failure }
        return events
    }

    /// Ends the stream: an unterminated last line is processed as if terminated, then an event with data
    /// still pending is dispatched (see the type's note). The parser is then ready for a new stream.
    /// Throws `.eventTooLarge` when that last line takes the pending event over its cap.
    public mutating func finish() throws(SSEParserError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        let failure = line.isEmpty ? nil : processLine(into: &events)
        if failure == nil, !dataBuffer.isEmpty {
            dispatch(into: &events)
        }
        self = SSEParser(maxLineLength: maxLineLength, maxEventDataLength: maxEventDataLength)
        if let failure { throw failure }
        return events
    }

    private mutating func consume(_ buffer: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent])
        -> SSEParserError?
    {
        let count = buffer.count
        var start = 0
        if pendingCR && count > 0 {
            pendingCR = false
            if buffer[0] == .lf { start = 1 }
        }
        while start < count {
            var end = start
            while end < count && buffer[end] != .lf && buffer[end] != .cr { end += 1 }
            if line.count + (end - start) > maxLineLength {
                line.removeAll()
                return .lineTooLong(limit: maxLineLength)
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
            if end == count { break }
            if buffer[end] == .cr {
                if end + 1 < count {
                    if buffer[end + 1] == .lf { end += 1 }
                } else {
                    pendingCR = true
                }
            }
            if let failure = processLine(into: &events) { return failure }
            start = end + 1
        }
        return nil
    }

    /// Interprets the completed line; returns the failure when it takes the event's data over its cap.
    private mutating func processLine(into events: inout [SSEEvent]) -> SSEParserError? {
        defer { line.removeAll(keepingCapacity: true) }
        var bytes = line[...]
        if atStreamStart {
            atStreamStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        guard let first = bytes.first else {
            dispatch(into: &events)
            return nil
        }
        if first == .colon { return nil }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = bytes.firstIndex(of: .colon) {
            field = bytes[..<colon]
            value = bytes[(colon + 1)...]
            if value.first == .space { value = value.dropFirst() }
        } else {
            field = bytes
            value = []
        }
        if field.elementsEqual("data".utf8) {
            // `utf8.count` is O(1) on native strings, so the check costs nothing per line.
            guard dataBuffer.utf8.count + value.count + 1 <= maxEventDataLength else {
                dataBuffer = ""
                return .eventTooLarge(limit: maxEventDataLength)
            }
            dataBuffer += String(decoding: value, as: UTF8.self)
            dataBuffer += "\n"
        } else if field.elementsEqual("event".utf8) {
            eventTypeBuffer = String(decoding: value, as: UTF8.self)
        } else if field.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if field.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let milliseconds = Int(String(decoding: value, as: UTF8.self))
            {
                retry = milliseconds
            }
        }
        return nil
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer { eventTypeBuffer = "" }
        guard !dataBuffer.isEmpty else { return }
        dataBuffer.unicodeScalars.removeLast()
        events.append(
            SSEEvent(
                event: eventTypeBuffer.isEmpty ? "message" : eventTypeBuffer, data: dataBuffer, id: lastEventID,
                retry: retry))
        dataBuffer = ""
        retry = nil
    }
}

extension UInt8 {
    fileprivate static let lf: UInt8 = 0x0A
    fileprivate static let cr: UInt8 = 0x0D
    fileprivate static let colon: UInt8 = 0x3A
    fileprivate static let space: UInt8 = 0x20
}
