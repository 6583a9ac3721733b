/// Serves one TCP connection on its own thread: reads requests one after another (keep-alive), records each
/// in the log, checks credentials, and plays the chosen behaviour.
struct ConnectionHandler {
    let core: SimulatorCore
    let socket: ClientSocket
    let connectionID: Int

    private var writer: ResponseWriter { ResponseWriter(socket: socket) }

    func run() {
        var reader = RequestReader(socket: socket)
        while let request = reader.next() {
            let reusable = respond(to: request)
            guard reusable, request.keepAlive else { return }
        }
    }

    /// Answers one request; returns whether the connection can carry another.
    private func respond(to request: IncomingRequest) -> Bool {
        if request.path.hasPrefix("/_sim/") {
            return ControlAPI(core: core, writer: writer).respond(to: request)
        }
        let endpoint = Self.endpoint(of: request)
        let api: VendorAPI =
            switch endpoint {
            case .messages: .anthropic
            case .chatCompletions: .openAI
            case .models, .unknown: request.header("x-api-key") != nil ? .anthropic : .openAI
            }
        let input = CompletionInput(body: request.body)
        let serial = core.nextSerial()
        core.log.append(
            RecordedRequest(
                id: serial, connectionID: connectionID, method: request.method, path: request.target,
                headers: request.headers, body: request.body, endpoint: endpoint, model: input.model,
                outcome: .inProgress))
        let exchange = Exchange(
            handler: self, api: api, endpoint: endpoint, input: input, serial: serial, keepAlive: request.keepAlive)
        let (outcome, reusable) = exchange.play(behaviour(for: request, endpoint: endpoint, api: api, input: input))
        core.log.finish(serial, outcome)
        return reusable
    }

    /// Credential failures first (they consume no queued behaviour), then the queue, then the model name.
    private func behaviour(for request: IncomingRequest, endpoint: Endpoint, api: VendorAPI, input: CompletionInput)
        -> Behaviour
    {
        if endpoint == .unknown { return .status(404) }
        switch api {
        case .anthropic:
            guard request.header("x-api-key") == core.anthropicKey else { return .status(401) }
            guard request.header("anthropic-version") == "2023-06-01" else {
                return .status(400, body: VendorAPI.anthropicVersionError)
            }
        case .openAI:
            guard request.header("authorization") == "Bearer " + core.openAIKey else { return .status(401) }
        }
        if let queued = core.queue.next(for: endpoint) { return queued }
        return endpoint == .models ? .reply(Reply()) : .forModel(input.model ?? "")
    }

    private static func endpoint(of request: IncomingRequest) -> Endpoint {
        switch (request.method, request.path) {
        case ("POST", "/v1/messages"): .messages
        case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"): .chatCompletions
        case ("GET", "/v1/models"), ("GET", "/models"): .models
        default: .unknown
        }
    }

    /// One request being answered.
    private struct Exchange {
        let handler: ConnectionHandler
        let api: VendorAPI
        let endpoint: Endpoint
        let input: CompletionInput
        let serial: Int
        let keepAlive: Bool

        private var writer: ResponseWriter { handler.writer }

        private var idHeaders: [(String, String)] {
            let id = "req_sim_" + ReplyPlan.serialText(serial)
            return api == .anthropic ? [("request-id", id)] : [("x-request-id", id)]
        }

        func play(_ behaviour: Behaviour) -> (Outcome, Bool) {
            let (core, shape) = behaviour.unshaped
            let streaming = input.stream && endpoint != .models
            switch core {
            case .status(let status, let body, let retryAfter):
                var headers = idHeaders
                if let retryAfter { headers.append(("retry-after", retryAfter)) }
                let sent = writer.sendJSON(
                    status: status, body: body ?? api.errorBody(status: status, serial: serial), headers: headers,
                    keepAlive: keepAlive)
                return sent ? (.completed, true) : (.clientDisconnected, false)
            case .hang:
                handler.socket.waitForClose()
                return (.clientDisconnected, false)
            case .reply(let reply):
                guard endpoint != .models else { return json(api.modelsList) }
                let plan = self.plan(reply)
                guard streaming else { return json(api.message(plan)) }
                return stream(api.streamEvents(plan), shape: shape, abort: false)
            case .abortAfter(let events, let reply):
                guard streaming else { return (.aborted, false) }
                return stream(Array(api.streamEvents(plan(reply)).prefix(events)), shape: shape, abort: true)
            case .errorEvent(let events, let type, let reply):
                guard streaming else { return play(.status(VendorError.status(forType: type))) }
                let prefix = Array(api.streamEvents(plan(reply)).prefix(events))
                return stream(prefix + [api.errorEvent(type: type)], shape: shape, abort: false)
            case .raw(let status, let headers, let body):
                let sent = writer.sendRaw(status: status, headers: headers, body: body, keepAlive: keepAlive)
                return sent ? (.completed, true) : (.clientDisconnected, false)
            case .shaped(let inner, _):
                return play(inner)
            }
        }

        private func plan(_ reply: Reply) -> ReplyPlan {
            ReplyPlan(reply: reply, input: input, serial: serial, idPrefix: api.idPrefix)
        }

        private func json(_ body: String) -> (Outcome, Bool) {
            let sent = writer.sendJSON(status: 200, body: body, headers: idHeaders, keepAlive: keepAlive)
            return sent ? (.completed, true) : (.clientDisconnected, false)
        }

        /// Streams `events` with the shape's pacing and split points; `abort` closes without the last chunk.
        private func stream(_ events: [SSEEvent], shape: Shape, abort: Bool) -> (Outcome, Bool) {
            guard writer.startStream(headers: idHeaders) else { return (.clientDisconnected, false) }
            let pacing = shape.pacingMilliseconds ?? handler.core.defaultPacingMilliseconds
            var random = SplitMix64(seed: { if case .random(let seed) = shape.split { seed } else { 0 } }())
            for (index, event) in events.enumerated() {
                if index > 0, !handler.socket.pause(milliseconds: pacing) { return (.clientDisconnected, false) }
                let bytes = (index == 0 && shape.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + event.bytes(shape)
                for piece in SSEEvent.pieces(of: bytes, split: shape.split, random: &random) {
                    guard writer.sendChunk(piece) else { return (.clientDisconnected, false) }
                }
            }
            if abort { return (.aborted, false) }
            return writer.endStream() ? (.completed, true) : (.clientDisconnected, false)
        }
    }
}

extension VendorAPI {
    /// Anthropic's answer to a request without `anthropic-version: 2023-06-01` (400, as the real API does).
    static let anthropicVersionError =
        #"{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: header is required"}}"#
}
