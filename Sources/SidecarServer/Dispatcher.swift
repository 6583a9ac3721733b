import SidecarProtocol
import SidecarTransport

/// Routes each decoded payload to its handler. Runs on the server's event loop thread: everything here is
/// cheap, and only `complete` and `usage` leave it (in a `Task`; a `usage` query then runs on a ledger
/// reader thread).
final class Dispatcher: PayloadHandler, @unchecked Sendable {
    let context: SidecarContext
    private let usageGate = UsageGate()
    /// The server handing us payloads (`attached(to:)`, from `Server.init`).
    private(set) weak var server: Server?

    init(context: SidecarContext) { self.context = context }

    func attached(to server: Server) { self.server = server }

    func handle(_ payload: [UInt8], on connection: Connection) {
        switch ClientMessage.parse(payload) {
        case .failure(let rejection):
            server?.logger.debug(
                "request.rejected",
                [
                    "conn": String(connection.number), "id": rejection.id, "code": rejection.error.code.rawValue,
                ])
            connection.send(.error(id: rejection.id, rejection.error))
        case .success(let message):
            handle(message, on: connection)
        }
    }

    private func handle(_ message: ClientMessage, on connection: Connection) {
        switch message {
        case .hello(let id, _, _):
            // `ClientMessage.parse` already refused a protocol version other than ours.
            let agent = connection.boundAgent
            connection.send(
                .hello(
                    id: id, server: SidecarContext.serverName, version: SidecarContext.version, agent: agent,
                    models: context.registry.models(for: agent ?? SidecarContext.defaultAgent),
                    maxFrame: server?.limits.maxFrame ?? 0))
        case .ping(let id):
            connection.send(.pong(id: id))
        case .status(let id):
            connection.send(
                .status(
                    id: id, StatusReport.make(server: server, context: context, boundAgent: connection.boundAgent)))
        case .cancel(_, let target):
            connection.cancelRequest(target)
        case .usage(let id, var query):
            // On a bound listener the report covers the bound agent only (PROTOCOL.md §7).
            if let agent = connection.boundAgent, case .object(var fields) = query {
                fields["agent"] = .string(agent)
                query = .object(fields)
            }
            guard usageGate.enter(connection) else {
                connection.send(UsageHandler.tooManyInFlight(id: id))
                return
            }
            Task { [usageGate, context] in
                let reply = await UsageHandler.answer(id: id, query: query, context: context)
                usageGate.leave(connection)
                connection.send(reply)
            }
        case .complete(let request):
            startCompletion(request, on: connection)
        }
    }

    private func startCompletion(_ request: CompletionRequest, on connection: Connection) {
        let handler = CompleteHandler(
            context: context, origin: RequestOrigin(connection), sink: connection,
            shuttingDown: { [weak server] in server.map { $0.phase != .running } ?? false })
        switch connection.startRequest(id: request.id, { await handler.run(request) }) {
        case .started:
            break
        case .duplicateID:
            connection.send(
                .error(
                    id: request.id,
                    SidecarError(
                        .duplicateID, "request id \"\(request.id)\" is already in flight on this connection")))
        case .shuttingDown:
            connection.send(.error(id: request.id, SidecarError(.shuttingDown, "the sidecar is shutting down")))
        }
    }
}
