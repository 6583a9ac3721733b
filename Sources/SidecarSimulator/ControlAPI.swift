import Foundation

/// The out-of-process control surface under `/_sim/`, for driving the `sim-upstream` binary from tests:
/// `POST /_sim/enqueue` (one behaviour object, or an array; each may carry `count` and `endpoints`),
/// `GET /_sim/requests` (the log as `{"requests":[...]}`), `POST /_sim/reset`.
struct ControlAPI {
    let core: SimulatorCore
    let writer: ResponseWriter

    func respond(to request: IncomingRequest) -> Bool {
        switch (request.method, request.path) {
        case ("POST", "/_sim/enqueue"):
            do {
                let count = try enqueue(request.body)
                return send(200, "{\"queued\":\(count)}", request)
            } catch {
                return send(400, "{\"error\":\(JSONText.quote(String(describing: error)))}", request)
            }
        case ("GET", "/_sim/requests"):
            let entries = core.log.entries.map(\.jsonText).joined(separator: ",")
            return send(200, "{\"requests\":[\(entries)]}", request)
        case ("POST", "/_sim/reset"):
            core.queue.reset()
            core.log.reset()
            return send(200, "{\"reset\":true}", request)
        default:
            return send(404, "{\"error\":\"unknown control path\"}", request)
        }
    }

    private func send(_ status: Int, _ body: String, _ request: IncomingRequest) -> Bool {
        writer.sendJSON(status: status, body: body, headers: [], keepAlive: request.keepAlive)
    }

    /// Queues every behaviour in the body and returns how many requests they cover.
    private func enqueue(_ body: [UInt8]) throws -> Int {
        let parsed = try JSONSerialization.jsonObject(with: Data(body))
        let objects = parsed as? [[String: Any]] ?? (parsed as? [String: Any]).map { [$0] } ?? []
        guard !objects.isEmpty else { throw BehaviourParseError(description: "expected a behaviour object or array") }
        let entries = try objects.map { object -> (Behaviour, Int, Set<Endpoint>) in
            let endpoints = try (object["endpoints"] as? [String])?.map { name in
                guard let endpoint = Endpoint(rawValue: name) else {
                    throw BehaviourParseError(description: "unknown endpoint \"\(name)\"")
                }
                return endpoint
            }
            return (
                try Behaviour(json: object), Behaviour.int(object["count"]) ?? 1,
                endpoints.map(Set.init) ?? [.messages, .chatCompletions]
            )
        }
        for (behaviour, count, endpoints) in entries {
            core.queue.enqueue(behaviour, count: count, endpoints: endpoints)
        }
        return entries.reduce(0) { $0 + $1.1 }
    }
}
