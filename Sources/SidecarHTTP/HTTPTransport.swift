import Foundation

/// Per-request time limits. Any of them may be nil (no limit).
public struct HTTPTimeouts: Sendable, Equatable {
    /// Establishing the connection.
    public var connect: Duration?
    /// From sending the request to the response head.
    public var firstByte: Duration?
    /// Longest silence between two reads once the response head arrived. Time the transport stops reading
    /// because the body's reader is behind does not count.
    public var idle: Duration?
    /// The whole exchange.
    public var total: Duration?

    public init(connect: Duration? = nil, firstByte: Duration? = nil, idle: Duration? = nil, total: Duration? = nil) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }
}

/// One outgoing HTTP request.
public struct HTTPRequest: Sendable {
    public var url: URL
    public var method: String
    /// Header names as sent; values may hold credentials and must never be logged.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeouts: HTTPTimeouts

    public init(
        url: URL, method: String = "POST", headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// A response whose head has arrived; the body streams in as upstream sends it.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    /// Body bytes in the pieces the network delivered them, handed over as they arrive. Pieces not yet
    /// pulled are buffered up to a bound set by the transport; beyond it `SocketHTTPTransport` stops reading
    /// the socket until the reader catches up, while `URLSessionTransport` (which cannot pause a running
    /// transfer) fails the request. Cancelling the consuming task, ending iteration early or dropping the
    /// body closes the upstream connection (see `HTTPBody`).
    public var body: HTTPBody

    public init(status: Int, headers: [String: String], body: HTTPBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why an HTTP exchange failed below the HTTP layer.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// Could not connect (refused, DNS, TLS handshake, reset before the response head).
    case connectionFailed(String)
    /// The connection broke after the response started.
    case connectionLost(String)
    /// The server's bytes are not HTTP/1.1 as this client reads it, or exceed a limit (the head's size).
    case malformedResponse(String)
    /// A time limit ran out; the associated value names which one ("connect", "first byte", "idle", "total").
    case timedOut(String)
    /// The request was cancelled by the caller.
    case cancelled
}

/// Sends HTTP requests. The providers see only this protocol; the daemon gives them a `RoutingTransport`
/// (`SocketHTTPTransport` for plain HTTP, `URLSessionTransport` for HTTPS).
public protocol HTTPTransport: Sendable {
    /// Sends the request and returns when the response head has arrived.
    /// Throws `HTTPTransportError`; cancelling the calling task cancels the request.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
