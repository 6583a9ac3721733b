import SidecarProtocol
import SidecarTransport

/// Where a request came from, as the handlers need it: for the log, the ledger row and agent binding.
struct RequestOrigin: Sendable {
    /// The connection's number (log lines only).
    var connection: Int
    var peer: PeerCredentials?
    /// The agent the listener is bound to, or nil when the request names its agent (trusted).
    var boundAgent: String?

    init(connection: Int, peer: PeerCredentials? = nil, boundAgent: String? = nil) {
        self.connection = connection
        self.peer = peer
        self.boundAgent = boundAgent
    }

    init(_ connection: Connection) {
        self.init(connection: connection.number, peer: connection.peer, boundAgent: connection.boundAgent)
    }
}

/// Where a request's stream goes: the client's connection in the daemon, a collector in tests.
protocol ChunkSink: Sendable {
    /// Sends one stream message, waiting while the receiver is behind (backpressure).
    func stream(_ message: ServerMessage) async
}

extension Connection: ChunkSink {
    func stream(_ message: ServerMessage) async { await sendApplyingBackpressure(message) }
}
