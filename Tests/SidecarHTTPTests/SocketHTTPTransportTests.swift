import Foundation
import Glibc
import SidecarHTTP
import SidecarSimulator
import Testing

/// Tests specific to `SocketHTTPTransport` (the behaviour shared with URLSession is in
/// `HTTPTransportBehaviourTests`), over real HTTP against the simulated upstream on 127.0.0.1.
@Suite struct SocketHTTPTransportTests {
    let upstream = SimulatedUpstream()
    let transport = SocketHTTPTransport()

    init() throws {
        try upstream.start()
    }

    func request(model: String = "sim", stream: Bool = true, timeouts: HTTPTimeouts = HTTPTimeouts()) -> HTTPRequest {
        messagesRequest(to: upstream, model: model, stream: stream, timeouts: timeouts)
    }

    func text(of body: HTTPBody) async throws -> String { streamedText(try await readEvents(body)) }

    /// A Content-Length body (non-streaming) and a chunked one (streaming) both arrive whole, on one connection.
    @Test func contentLengthAndChunkedBodiesShareAConnection() async throws {
        upstream.enqueue(.reply("whole answer"))
        upstream.enqueue(.reply("streamed answer"))
        let whole = try await transport.send(request(stream: false))
        #expect(whole.headers["content-length"] != nil)
        let json = try JSONSerialization.jsonObject(with: Data(try await whole.body.collect())) as? [String: Any]
        let content = json?["content"] as? [[String: Any]]
        #expect(content?.first?["text"] as? String == "whole answer")
        let streamed = try await transport.send(request())
        #expect(streamed.headers["transfer-encoding"] == "chunked")
        #expect(try await text(of: streamed.body) == "streamed answer")
        let connections = upstream.requests().map(\.connectionID)
        #expect(connections.count == 2 && Set(connections).count == 1)
    }

    /// A response split one byte per HTTP chunk (`sim-split-1`) decodes to the same text.
    @Test func decodesOneBytePerChunk() async throws {
        let response = try await transport.send(request(model: "sim-split-1+crlf"))
        #expect(!(try await text(of: response.body)).isEmpty)
        #expect(await upstream.waitForFinished(count: 1))
        #expect(upstream.requests().first?.outcome == .completed)
    }

    /// A response dropped before its body was read is never reused: the next request opens a new connection.
    @Test func unreadResponseIsNotReused() async throws {
        upstream.enqueue(.reply(String(repeating: "word ", count: 40)).paced(milliseconds: 200))
        upstream.enqueue(.reply("next"))
        #expect(try await transport.send(request()).status == 200)
        #expect(await upstream.waitForDisconnect())
        #expect(try await text(of: try await transport.send(request()).body) == "next")
        let connections = upstream.requests().map(\.connectionID)
        #expect(connections.count == 2 && Set(connections).count == 2)
    }

    /// A pooled connection the server closed after its response is not used again: the next request succeeds
    /// on a new connection (the pool drops it when the close arrives, or the request is retried once).
    @Test func survivesTheServerClosingAnIdleConnection() async throws {
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let server = try ScriptedServer([[ok], [ok]])
        for _ in 0..<2 {
            let response = try await transport.send(HTTPRequest(url: server.url, body: Array("{}".utf8)))
            #expect(try await response.body.collect() == Array("ok".utf8))
        }
    }

    /// A response without Content-Length or chunking runs until the server closes, and arrives whole.
    @Test func readsABodyThatEndsAtTheClose() async throws {
        let server = try ScriptedServer([["HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close"]])
        let response = try await transport.send(HTTPRequest(url: server.url, body: Array("{}".utf8)))
        #expect(String(decoding: try await response.body.collect(), as: UTF8.self) == "until the close")
    }

    /// With a tiny read-ahead bound the socket is paused and resumed many times, and no byte is lost.
    @Test func backpressurePausesReadingWithoutLosingBytes() async throws {
        let small = SocketHTTPTransport(maxBufferedBytes: 64)
        let words = (0..<400).map { "w\($0)" }.joined(separator: " ")
        upstream.enqueue(.reply(words).paced(milliseconds: 0))
        let response = try await small.send(request())
        var parser = SSEParser()
        var text = ""
        for try await piece in response.body {
            await Task.yield()
            for event in try parser.feed(piece) where event.event == "content_block_delta" {
                let object = try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                text += ((object?["delta"] as? [String: Any])?["text"] as? String) ?? ""
            }
        }
        #expect(text == words)
    }

    /// A server whose accept queue is full never completes the handshake: `timedOut("connect")`.
    @Test func timesOutConnecting() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && getsockname(listener, address, &length) == 0
                    && listen(listener, 0) == 0
            }
        }
        #expect(listening)
        // Fill the accept queue (never accepted) so that further handshakes are not answered.
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            fillers.append(filler)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
        }
        var stuck = request(timeouts: HTTPTimeouts(connect: .milliseconds(300), total: .seconds(30)))
        stuck.url = try #require(URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/v1/messages"))
        await #expect(throws: HTTPTransportError.timedOut("connect")) { try await transport.send(stuck) }
    }

    /// A header value with a line break is refused before anything is sent, naming the header, not the value.
    @Test func refusesHeaderInjection() async throws {
        var injected = request()
        injected.headers.append((name: "x-extra", value: "sk-secret\r\nx-evil: 1"))
        do {
            _ = try await transport.send(injected)
            Issue.record("expected the request to be refused")
        } catch let error as HTTPTransportError {
            guard case .connectionFailed(let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("x-extra"))
            #expect(!message.contains("sk-secret"))
        }
        #expect(upstream.requests().isEmpty)
    }

    /// `RoutingTransport` sends plain http through the socket transport and https through the other one.
    @Test func routingSendsHTTPSElsewhere() async throws {
        let secure = RecordingTransport()
        let routing = RoutingTransport(plain: transport, secure: secure)
        upstream.enqueue(.reply("plain"))
        #expect(try await text(of: try await routing.send(request()).body) == "plain")
        var tls = request()
        tls.url = try #require(URL(string: "https://api.example.invalid/v1/messages"))
        #expect(try await routing.send(tls).status == 204)
        #expect(secure.urls == ["https://api.example.invalid/v1/messages"])
        #expect(upstream.requests().count == 1)
    }
}

/// Stands in for URLSession behind `RoutingTransport`: records the URLs it was given, answers 204.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [String] = []

    var urls: [String] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { sent.append(request.url.absoluteString) }
        return HTTPResponse(status: 204, headers: [:], body: HTTPBody(AsyncThrowingStream { $0.finish() }))
    }
}
