/// The server's resource limits (config `limits`); the defaults here are the config's.
public struct ServerLimits: Sendable, Equatable {
    public var maxFrame: Int
    public var maxConnections: Int
    /// Per-connection output buffer bound; streams pause above it.
    public var outputBuffer: Int
    /// How long a connection may sit inside a partial frame before it is closed.
    public var readTimeout: Duration
    /// How long in-flight requests may run after SIGTERM before they end with `shutting_down`.
    public var grace: Duration

    public init(
        maxFrame: Int = 8 << 20, maxConnections: Int = 10_000, outputBuffer: Int = 4 << 20,
        readTimeout: Duration = .seconds(60), grace: Duration = .seconds(30)
    ) {
        self.maxFrame = maxFrame
        self.maxConnections = maxConnections
        self.outputBuffer = outputBuffer
        self.readTimeout = readTimeout
        self.grace = grace
    }
}

/// One socket to listen on (config `listen[]`).
public struct ListenerSpec: Sendable, Equatable {
    public var path: String
    public var mode: UInt16
    /// Requests on a bound listener act as this agent; others name their agent (trusted).
    public var agent: String?

    /// Owner and group (the agents) may connect.
    public static let defaultMode: UInt16 = 0o660

    public init(path: String, mode: UInt16 = ListenerSpec.defaultMode, agent: String? = nil) {
        self.path = path
        self.mode = mode
        self.agent = agent
    }
}
