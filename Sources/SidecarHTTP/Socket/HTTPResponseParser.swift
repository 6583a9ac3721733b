/// An incremental HTTP/1.1 response parser: feed it bytes exactly as the socket delivered them (split
/// anywhere), get the head once it is complete and the decoded body bytes as they complete.
///
/// Framing follows RFC 9112 section 6.3: no body for HEAD requests, 1xx, 204 and 304; chunked when the
/// last transfer coding is `chunked`; else `Content-Length`; else the body runs until the server closes
/// the connection (and the connection is not reusable). Interim 1xx heads are skipped. Lines, the head and
/// chunk-size lines are capped, so a broken server cannot make the parser buffer without bound.
struct HTTPResponseParser {
    struct Head {
        var status: Int
        /// Names lowercased; repeated headers joined with ", ".
        var headers: [String: String]
    }

    struct ParseError: Error {
        let reason: String
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd(seen: Int)
        case trailer
        case untilClose
        case done
    }

    /// The largest response head (status line and headers) accepted, so an upstream sending headers forever
    /// cannot make the sidecar buffer them.
    static let maxHeadBytes = 64 << 10
    static let maxLineBytes = 4 << 10

    private let requestIsHead: Bool
    private var state = State.head
    /// Bytes of the head or of the current chunk-size/trailer line received so far.
    private var line: [UInt8] = []
    private(set) var head: Head?
    /// False when the server asked to close (or spoke HTTP/1.0, or the body runs until close).
    private(set) var keepAlive = true
    /// Bytes arrived after the end of the response (a server must not send any: the connection is dropped).
    private(set) var trailingBytes = false

    init(requestIsHead: Bool) {
        self.requestIsHead = requestIsHead
    }

    /// The response (head and body) has been read completely.
    var isComplete: Bool {
        if case .done = state { true } else { false }
    }

    /// Parses `input`, appending decoded body bytes to `body`.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]) throws(ParseError) {
        var index = 0
        let count = input.count
        while index < count {
            switch state {
            case .head:
                let start = index
                while index < count, input[index] != 10 { index += 1 }
                if index == count {
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<count]))
                } else {
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: input[start...index]))
                    index += 1
                    if line.count >= 2,
                        line[line.count - 2] == 10
                            || (line.count >= 3 && line[line.count - 3] == 10
                                && line[line.count - 2] == 13)
                    {
                        try finishHead()
                        continue
                    }
                }
                if line.count > Self.maxHeadBytes {
                    throw ParseError(reason: "the response head is larger than \(Self.maxHeadBytes) bytes")
                }
            case .fixed(let remaining):
                let take = min(remaining, count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + take]))
                index += take
                state = remaining == take ? .done : .fixed(remaining: remaining - take)
            case .chunkSize:
                guard let text = try takeLine(input, &index) else { continue }
                let digits = text.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != 32 && $0 != 9 }
                guard !digits.isEmpty, digits.count <= 15,
                    let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
                else { throw ParseError(reason: "bad chunk size line") }
                state = size == 0 ? .trailer : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + take]))
                index += take
                state = remaining == take ? .chunkDataEnd(seen: 0) : .chunkData(remaining: remaining - take)
            case .chunkDataEnd(let seen):
                // CR LF after the chunk data (a bare LF is tolerated).
                let byte = input[index]
                index += 1
                if seen == 0, byte == 13 {
                    state = .chunkDataEnd(seen: 1)
                } else if byte == 10 {
                    state = .chunkSize
                } else {
                    throw ParseError(reason: "chunk data not followed by a line end")
                }
            case .trailer:
                guard let text = try takeLine(input, &index) else { continue }
                if text.isEmpty { state = .done }
            case .untilClose:
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<count]))
                index = count
            case .done:
                trailingBytes = true
                return
            }
        }
    }

    /// The server closed the connection: true when that ends the body properly (a body framed by the close).
    mutating func finishAtClose() -> Bool {
        guard case .untilClose = state else { return isComplete }
        state = .done
        return true
    }

    /// The next complete line without its line end, or nil (with the partial line kept) when none is complete.
    private mutating func takeLine(_ input: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(ParseError)
        -> [UInt8]?
    {
        let start = index
        while index < input.count, input[index] != 10 { index += 1 }
        line.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        guard index < input.count else {
            if line.count > Self.maxLineBytes { throw ParseError(reason: "a chunk line is too long") }
            return nil
        }
        index += 1
        var text = line
        line.removeAll(keepingCapacity: true)
        if text.last == 13 { text.removeLast() }
        return text
    }

    private mutating func finishHead() throws(ParseError) {
        // Split on LF bytes: as Characters, CR LF is a single grapheme.
        var lines = line.split(separator: 10, omittingEmptySubsequences: false).map { bytes in
            String(decoding: bytes.last == 13 ? bytes.dropLast() : bytes, as: UTF8.self)
        }
        line.removeAll(keepingCapacity: true)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else { throw ParseError(reason: "empty response head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status)
        else { throw ParseError(reason: "malformed status line") }
        var headers: [String: String] = [:]
        for field in lines.dropFirst() {
            guard let colon = field.firstIndex(of: ":") else { throw ParseError(reason: "malformed header line") }
            let name = field[..<colon].lowercased()
            let value = field[field.index(after: colon)...].trimmedBlanks()
            if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
        }
        if (100..<200).contains(status), status != 101 { return }  // interim response: the real head follows
        head = Head(status: status, headers: headers)
        let tokens = (headers["connection"] ?? "").lowercased().split(separator: ",").map { $0.trimmedBlanks() }
        keepAlive = parts[0] == "HTTP/1.1" ? !tokens.contains("close") : tokens.contains("keep-alive")
        if requestIsHead || status == 204 || status == 304 || (100..<200).contains(status) {
            state = .done
        } else if let coding = headers["transfer-encoding"] {
            let last = coding.lowercased().split(separator: ",").last?.trimmedBlanks()
            if last == "chunked" {
                state = .chunkSize
            } else {
                state = .untilClose
                keepAlive = false
            }
        } else if let length = headers["content-length"] {
            guard let size = Int(length.trimmedBlanks()), size >= 0 else {
                throw ParseError(reason: "bad content-length")
            }
            state = size == 0 ? .done : .fixed(remaining: size)
        } else {
            state = .untilClose
            keepAlive = false
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace, which is bytes).
    /// Works on UTF-8 bytes: walking Characters backwards costs microseconds per header on the hot path.
    fileprivate func trimmedBlanks() -> String {
        let bytes = Array(utf8)
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
