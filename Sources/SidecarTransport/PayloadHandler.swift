/// Where the transport hands each decoded payload: the application's dispatcher. The transport knows
/// frames, connections and their limits, not what a request means.
public protocol PayloadHandler: AnyObject, Sendable {
    /// Called on the server's event loop thread, which serves every client: answer cheap requests inline,
    /// and start anything that waits (an upstream call, a ledger query) with `Connection.startRequest` or
    /// a task of its own.
    func handle(_ payload: [UInt8], on connection: Connection)

    /// Called once, by `Server.init`, with the server that will hand this handler its payloads.
    func attached(to server: Server)
}

extension PayloadHandler {
    public func attached(to server: Server) {}
}
