@preconcurrency import Dispatch
import Foundation
import SidecarEventLoop

/// `HTTPTransport` for plain `http://` URLs: HTTP/1.1 over non-blocking TCP sockets, with no thread per
/// connection (one event loop thread watches every socket, continuations for `async`).
///
/// Meant for local OpenAI-compatible servers (vLLM, Ollama, llama.cpp) and the simulated upstream, where
/// URLSession's per-request cost (~0.6 ms on Linux) dominates; `https://` stays with `URLSessionTransport`
/// (see `RoutingTransport`), since TLS needs OpenSSL bindings we do not have.
///
/// - Keep-alive: idle connections are pooled per `host:port` (at most `maxIdleConnectionsPerHost` kept);
///   there is no bound on concurrent connections beyond the descriptor limit. A connection is reused only
///   when its response was read completely off the socket; one the server closed while idle leaves the
///   pool at once, and a request whose reused connection turns out closed before any response byte is
///   retried once on a new connection.
/// - Bodies: `Content-Length` requests; `Content-Length`, chunked or read-to-close responses, delivered in
///   the pieces the socket returned them.
/// - Backpressure: at most `maxBufferedBytes` of unread body are held; beyond that the socket is not read
///   until the reader catches up, so TCP slows the server instead of memory growing.
/// - Time limits (`HTTPTimeouts`): connect, first byte (from `send` to the response head), idle (between
///   reads, not while reading is paused for backpressure), total; each fails with `timedOut(name)`.
/// - Cancelling `send`, cancelling the body's reader, or ending iteration closes the socket at once (unless
///   the rest of the response is already there) and the connection is never pooled again.
/// - Redirects are not followed; no cookies, no caching, no content decoding.
public final class SocketHTTPTransport: HTTPTransport {
    public static let defaultMaxIdleConnectionsPerHost = 64
    public static let defaultMaxBufferedBytes = 1 << 20

    private let pool: ConnectionPool
    private let maxBufferedBytes: Int
    private let timerQueue = DispatchQueue(label: "SidecarHTTP.SocketHTTPTransport.timers")
    private var loop: EventLoop { Self.loop }

    /// One loop thread watches the sockets of every transport in the process: upstream reads are a small
    /// part of a request's work, and a thread per transport would idle.
    private static let loop: EventLoop = {
        do {
            return try EventLoop(name: "sidecar.http")
        } catch {
            fatalError("cannot start the HTTP transports' event loop: \(error)")
        }
    }()

    public init(
        maxIdleConnectionsPerHost: Int = SocketHTTPTransport.defaultMaxIdleConnectionsPerHost,
        maxBufferedBytes: Int = SocketHTTPTransport.defaultMaxBufferedBytes
    ) {
        pool = ConnectionPool(maxIdlePerHost: max(0, maxIdleConnectionsPerHost))
        self.maxBufferedBytes = max(1, maxBufferedBytes)
    }

    /// Closes the idle connections; exchanges still running keep theirs until they end.
    deinit { pool.closeAll() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if Task.isCancelled { throw HTTPTransportError.cancelled }
        let head = try RequestHead(request)
        let startedAt = DispatchTime.now().uptimeNanoseconds
        while let pooled = pool.take(head.key) {
            let exchange = makeExchange(pooled, request: request, startedAt: startedAt, reused: true)
            guard pooled.attach(exchange) else { continue }
            do {
                return try await exchange.start(head.bytes)
            } catch is SocketExchange.StaleConnection {
                break
            }
        }
        // The earliest of the limits that run while connecting, named after the one that would expire.
        let connecting = ExchangeDeadlines(timeouts: request.timeouts, startedAt: startedAt, connected: false)
        let fd = try await SocketConnector.connect(
            host: head.host, port: head.port, deadline: connecting.earliest, loop: loop, timerQueue: timerQueue)
        let connection = SocketConnection(fd: fd, key: head.key, loop: loop, pool: pool)
        let exchange = makeExchange(connection, request: request, startedAt: startedAt, reused: false)
        guard connection.attach(exchange) else {
            connection.close()
            throw HTTPTransportError.connectionFailed("the connection could not be watched")
        }
        return try await exchange.start(head.bytes)
    }

    private func makeExchange(_ connection: SocketConnection, request: HTTPRequest, startedAt: UInt64, reused: Bool)
        -> SocketExchange
    {
        SocketExchange(
            connection: connection, pool: pool, timeouts: request.timeouts, startedAt: startedAt,
            requestIsHead: request.method == "HEAD", reused: reused, maxBufferedBytes: maxBufferedBytes,
            timerQueue: timerQueue)
    }
}
