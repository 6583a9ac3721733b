import Testing

@testable import SidecarHTTP

/// Unit tests of the incremental HTTP/1.1 response parser behind `SocketHTTPTransport`, fed every split.
@Suite struct HTTPResponseParserTests {
    /// Feeds `wire` in pieces of `step` bytes; returns the parser and the body.
    func parse(_ wire: String, step: Int, head: Bool = false) throws -> (HTTPResponseParser, [UInt8]) {
        var parser = HTTPResponseParser(requestIsHead: head)
        var body: [UInt8] = []
        let bytes = Array(wire.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + step)
            try bytes[start..<end].withUnsafeBufferPointer { try parser.feed($0, into: &body) }
            start = end
        }
        return (parser, body)
    }

    static let steps = [1, 2, 3, 7, 1000]

    /// A chunked body with extensions and trailers decodes the same at every split.
    @Test(arguments: steps) func chunked(step: Int) throws {
        let wire =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\nworld 👋\r\n0\r\nTrailer: t\r\n\r\n"
        let (parser, body) = try parse(wire, step: step)
        #expect(parser.head?.status == 200)
        #expect(parser.head?.headers["x-a"] == "1, 2")
        #expect(String(decoding: body, as: UTF8.self) == "hello world 👋")
        #expect(parser.isComplete && parser.keepAlive && !parser.trailingBytes)
    }

    /// A Content-Length body ends at its length; interim 100 heads are skipped; bare LF line ends are read.
    @Test(arguments: steps) func contentLength(step: Int) throws {
        let wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\nContent-Length: 3\nConnection: close\n\nabc"
        let (parser, body) = try parse(wire, step: step)
        #expect(parser.head?.status == 404)
        #expect(body == Array("abc".utf8))
        #expect(parser.isComplete && !parser.keepAlive)
    }

    /// Without framing headers the body runs until the server closes, and the connection is not reusable.
    @Test func readToClose() throws {
        var (parser, body) = try parse("HTTP/1.1 200 OK\r\n\r\nsome bytes", step: 4)
        #expect(!parser.isComplete && !parser.keepAlive)
        let ended = parser.finishAtClose()
        #expect(ended && parser.isComplete && body == Array("some bytes".utf8))
        var chunked = try parse("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel", step: 3).0
        let truncatedEnded = chunked.finishAtClose()
        #expect(!truncatedEnded)
    }

    /// HEAD, 204 and 304 responses have no body even with a Content-Length; bytes after the end are noticed.
    @Test func bodilessResponses() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", step: 5, head: true).0.isComplete)
        let (parser, _) = try parse("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1", step: 100)
        #expect(parser.isComplete && parser.trailingBytes)
    }

    /// A head made of many short header lines is refused once it passes 64 KiB, naming the cap.
    @Test func capsTheHead() {
        let wire = "HTTP/1.1 200 OK\r\n" + String(repeating: "x-filler: 0123456789\r\n", count: 4000)
        #expect {
            _ = try parse(wire, step: 1000)
        } throws: { error in
            (error as? HTTPResponseParser.ParseError)?.reason == "the response head is larger than 65536 bytes"
        }
    }

    /// Garbage is rejected instead of misread.
    @Test(arguments: [
        "HTTP/1.1 abc OK\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    ])
    func rejectsMalformedResponses(wire: String) {
        #expect(throws: HTTPResponseParser.ParseError.self) { try parse(wire, step: 1) }
    }
}
