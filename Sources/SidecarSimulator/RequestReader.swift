/// One parsed HTTP/1.1 request.
struct IncomingRequest {
    var method: String
    var target: String
    var version: String
    /// Header names lowercased, in arrival order.
    var headerList: [(name: String, value: String)]
    var body: [UInt8]

    /// The target without its query string.
    var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }

    func header(_ name: String) -> String? {
        headerList.first { $0.name == name }?.value
    }

    /// Headers keyed by lowercased name; repeated headers joined with ", ".
    var headers: [String: String] {
        headerList.reduce(into: [:]) { result, field in
            result[field.name] = result[field.name].map { $0 + ", " + field.value } ?? field.value
        }
    }

    /// HTTP/1.1 keeps the connection unless the client says `close`; HTTP/1.0 only with `keep-alive`.
    var keepAlive: Bool {
        let connection = header("connection")?.lowercased() ?? ""
        return version == "HTTP/1.0" ? connection.contains("keep-alive") : !connection.contains("close")
    }
}

/// Reads HTTP/1.1 requests off a connection: head, `Expect: 100-continue`, and a Content-Length or chunked
/// body. Bytes past one request stay buffered for the next (keep-alive).
struct RequestReader {
    private static let maxHead = 64 * 1024
    private static let maxBody = 64 * 1024 * 1024

    let socket: ClientSocket
    private var buffer: [UInt8] = []

    init(socket: ClientSocket) {
        self.socket = socket
    }

    /// The next request; nil when the client closed the connection or sent something unparseable.
    mutating func next() -> IncomingRequest? {
        guard let headEnd = readUntilHeadEnd(),
            var request = Self.parseHead(buffer[0..<headEnd])
        else { return nil }
        buffer.removeFirst(headEnd + 4)
        if request.header("expect")?.lowercased() == "100-continue" {
            guard socket.send("HTTP/1.1 100 Continue\r\n\r\n") else { return nil }
        }
        if request.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            guard let body = readChunkedBody() else { return nil }
            request.body = body
        } else {
            let length = Int(request.header("content-length") ?? "0") ?? -1
            guard length >= 0, length <= Self.maxBody, fill(to: length) else { return nil }
            request.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return request
    }

    private mutating func readUntilHeadEnd() -> Int? {
        var searchFrom = 0
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: searchFrom) { return end }
            searchFrom = max(0, buffer.count - 3)
            guard buffer.count < Self.maxHead, let more = socket.receive() else { return nil }
            buffer += more
        }
    }

    private mutating func fill(to count: Int) -> Bool {
        while buffer.count < count {
            guard let more = socket.receive() else { return false }
            buffer += more
        }
        return true
    }

    private mutating func readLine() -> String? {
        var searchFrom = 0
        while true {
            if let end = Self.find([13, 10], in: buffer, from: searchFrom) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            searchFrom = max(0, buffer.count - 1)
            guard buffer.count < Self.maxHead, let more = socket.receive() else { return nil }
            buffer += more
        }
    }

    private mutating func readChunkedBody() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine(),
                let size = Int(line.split(separator: ";")[0].trimmingSpaces, radix: 16), size >= 0,
                body.count + size <= Self.maxBody
            else { return nil }
            if size == 0 {
                while let trailer = readLine() {
                    if trailer.isEmpty { return body }
                }
                return nil
            }
            guard fill(to: size + 2) else { return nil }
            body += buffer[0..<size]
            buffer.removeFirst(size + 2)
        }
    }

    private static func parseHead(_ bytes: ArraySlice<UInt8>) -> IncomingRequest? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...].trimmingSpaces)))
        }
        return IncomingRequest(
            method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headerList: headers,
            body: [])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let trimmed = drop { $0 == " " || $0 == "\t" }
        var end = trimmed.endIndex
        while end > trimmed.startIndex,
            trimmed[trimmed.index(before: end)] == " " || trimmed[trimmed.index(before: end)] == "\t"
        {
            end = trimmed.index(before: end)
        }
        return Substring(trimmed[trimmed.startIndex..<end])
    }
}
