/// Writes HTTP/1.1 responses: whole JSON bodies with Content-Length, or chunked event streams.
struct ResponseWriter {
    let socket: ClientSocket

    /// A complete response with a JSON body.
    func sendJSON(status: Int, body: String, headers: [(String, String)], keepAlive: Bool) -> Bool {
        let bytes = Array(body.utf8)
        var head = statusLine(status) + "content-type: application/json\r\ncontent-length: \(bytes.count)\r\n"
        head += "connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return socket.send(Array((head + "\r\n").utf8) + bytes)
    }

    /// A complete response with exactly the given headers (besides its length) and body.
    func sendRaw(status: Int, headers: [String: String], body: String, keepAlive: Bool) -> Bool {
        let bytes = Array(body.utf8)
        var head = statusLine(status) + "content-length: \(bytes.count)\r\n"
        head += "connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        return socket.send(Array((head + "\r\n").utf8) + bytes)
    }

    /// The head of a `text/event-stream` response whose body follows in chunks.
    func startStream(headers: [(String, String)]) -> Bool {
        var head = statusLine(200) + "content-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
        head += "transfer-encoding: chunked\r\nconnection: keep-alive\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return socket.send(head + "\r\n")
    }

    /// One HTTP chunk.
    func sendChunk(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        return socket.send(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10])
    }

    /// The last chunk, which ends the body and leaves the connection reusable.
    func endStream() -> Bool {
        socket.send("0\r\n\r\n")
    }

    private func statusLine(_ status: Int) -> String {
        "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 529: "Site Overloaded"
        default: "Status \(status)"
        }
    }
}
