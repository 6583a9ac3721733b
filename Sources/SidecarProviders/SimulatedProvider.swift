import SidecarProtocol

/// The built-in provider of kind `simulated`: no network, no key. It streams a deterministic reply derived
/// from the last user message, with token counts of about one token per 4 characters (input counts the
/// whole prompt; with prompt caching on, the system prompt counts as read from the cache) and a short
/// pause between deltas. Meant for `provider-sidecar demo` and for users who
/// test their agents offline; the behaviour is chosen by model name:
///
/// - any other name: a normal reply (`end_turn`, or `max_tokens` when `max_tokens` cuts it);
/// - `sim-fast`: no pause between deltas; `sim-pace-N`: N ms between deltas;
/// - `sim-tools`: when the request offers tools, calls the first one (`tool_use`) with arguments built
///   from its input schema; once a `tool_result` comes back, answers in text;
/// - `sim-fail-500`, `sim-fail-529`, `sim-fail-429` (retry after 1 s), `sim-fail-401`, `sim-fail-400`:
///   fail before any content as an upstream returning that status would; `sim-fail-refused` and
///   `sim-fail-timeout` as a refused connection and a timed-out request would;
/// - `sim-hang`: sends nothing until cancelled;
/// - `sim-abort-N`: the connection "breaks" after N deltas.
public struct SimulatedProvider: Provider {
    public let name: String
    public let kind = "simulated"
    /// The pause between deltas for models that do not choose their own.
    public let deltaDelay: Duration

    public init(settings: ProviderSettings, deltaDelay: Duration = .milliseconds(8)) {
        name = settings.name
        self.deltaDelay = deltaDelay
    }

    public func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error> {
        let model = request.model
        let delay = Self.delay(for: model) ?? deltaDelay
        let events = Self.script(request, provider: name)
        let abortAfter = model.hasPrefix("sim-abort-") ? Int(model.dropFirst("sim-abort-".count)) : nil
        let script = SimulatedScript(
            events: events, delay: delay, abortAfter: abortAfter, failure: Self.failure(for: model, provider: name),
            hang: model == "sim-hang", provider: name)
        return AsyncThrowingStream { try await script.next() }
    }

    public func complete(_ request: ProviderRequest) async throws -> ProviderResponse {
        var content: [ContentBlock] = []
        var usage = Usage()
        var stopReason = StopReason.endTurn
        var toolInput = ""
        for try await event in stream(request) {
            switch event {
            case .delta(.text(let text)): content.append(.text(text))
            case .delta(.toolUse(_, let id, let name)): content.append(.toolUse(id: id, name: name, input: [:]))
            case .delta(.toolInput(_, let partial)): toolInput += partial
            case .usage(let u): usage = u
            case .stop(let reason): stopReason = reason
            }
        }
        let text = content.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
        let tools = content.compactMap { block -> ContentBlock? in
            guard case .toolUse(let id, let name, _) = block else { return nil }
            return .toolUse(id: id, name: name, input: (try? JSONValue.parse(Array(toolInput.utf8))) ?? [:])
        }
        return ProviderResponse(
            content: (text.isEmpty ? [] : [.text(text)]) + tools, stopReason: stopReason,
            usage: usage)
    }

    public func healthCheck() async throws {}

    /// Roughly one token per 4 characters, at least one for any non-empty text.
    static func tokens(_ text: String) -> Int { (text.count + 3) / 4 }

    private static func delay(for model: String) -> Duration? {
        if model == "sim-fast" { return .zero }
        if model.hasPrefix("sim-pace-"), let ms = Int(model.dropFirst("sim-pace-".count)) { return .milliseconds(ms) }
        return nil
    }

    private static func failure(for model: String, provider: String) -> ProviderFailure? {
        let message = "\(provider): simulated upstream returned "
        switch model {
        case "sim-fail-500": return ProviderFailure(.transient, message + "500", httpStatus: 500)
        case "sim-fail-529": return ProviderFailure(.overloaded, message + "529 (overloaded)", httpStatus: 529)
        case "sim-fail-429":
            return ProviderFailure(.rateLimited, message + "429 (rate limited)", httpStatus: 429, retryAfterMs: 1000)
        case "sim-fail-401": return ProviderFailure(.credential, message + "401 (invalid key)", httpStatus: 401)
        case "sim-fail-400": return ProviderFailure(.callerFault, message + "400 (invalid request)", httpStatus: 400)
        case "sim-fail-refused": return ProviderFailure(.transient, "\(provider): simulated connection refused")
        case "sim-fail-timeout":
            return ProviderFailure(.timeout, "\(provider): simulated timeout waiting for the first byte")
        default: return nil
        }
    }

    /// Every event of a successful answer, in order, with cumulative usage after each delta.
    private static func script(_ request: ProviderRequest, provider: String) -> [StreamEvent] {
        let completion = request.completion
        let lastUser = completion.messages.last { $0.role == .user }?.content ?? []
        let userText = lastUser.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: " ")
        let gotToolResult = lastUser.contains { if case .toolResult = $0 { true } else { false } }
        let tool = request.model == "sim-tools" && !gotToolResult ? completion.tools.first : nil
        let quoted = userText.count > 160 ? String(userText.prefix(160)) + "..." : userText
        var reply: String
        if gotToolResult {
            reply =
                "The tool returned its result. This simulated reply from \(provider)/\(request.model) ends the turn."
        } else if let tool {
            reply = "I will call the tool \(tool.name) with your request."
        } else {
            reply =
                "You said: \"\(quoted)\". This is a simulated reply from \(provider)/\(request.model): "
                + "no model ran, and no tokens were billed."
        }
        if quoted.isEmpty, !gotToolResult, tool == nil { reply = "Hello from \(provider)/\(request.model)." }

        let cached = request.promptCaching ? tokens(completion.system ?? "") : 0
        let input = tokens(promptText(completion)) - cached
        func usage(_ output: Int) -> Usage { Usage(inputTokens: input, outputTokens: output, cacheReadTokens: cached) }
        var events: [StreamEvent] = []
        var output = 0
        for word in words(reply) {
            let cost = tokens(word)
            if output + cost > request.maxTokens {
                return events + [.stop(.maxTokens)]
            }
            output += cost
            events += [.delta(.text(word)), .usage(usage(output))]
        }
        guard let tool else { return events + [.stop(.endTurn)] }
        let arguments = toolArguments(tool.inputSchema, text: userText).encoded()
        let json = String(decoding: arguments, as: UTF8.self)
        let half = json.index(json.startIndex, offsetBy: json.count / 2)
        output += 10 + tokens(json)
        events.append(.delta(.toolUse(index: 1, toolUseID: "toolu_sim_\(completion.messages.count)", name: tool.name)))
        events.append(.delta(.toolInput(index: 1, partialJSON: String(json[..<half]))))
        events.append(.delta(.toolInput(index: 1, partialJSON: String(json[half...]))))
        return events + [.usage(usage(output)), .stop(.toolUse)]
    }

    /// The reply split after each space, so deltas look like a tokenizer's pieces.
    private static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// All text the upstream would read: system, messages and tool definitions.
    private static func promptText(_ request: CompletionRequest) -> String {
        var parts = [request.system ?? ""]
        for message in request.messages {
            for block in message.content { parts.append(String(decoding: block.json.encoded(), as: UTF8.self)) }
        }
        for tool in request.tools {
            parts.append(
                tool.name + (tool.description ?? "") + String(decoding: tool.inputSchema.encoded(), as: UTF8.self))
        }
        return parts.joined()
    }

    /// Arguments that satisfy the simple cases of a JSON schema: strings get the user's text.
    private static func toolArguments(_ schema: JSONValue, text: String) -> JSONValue {
        var arguments: [String: JSONValue] = [:]
        for (key, property) in schema["properties"]?.objectValue ?? [:] {
            switch property["type"]?.stringValue {
            case "string": arguments[key] = .string(text)
            case "integer", "number": arguments[key] = 1
            case "boolean": arguments[key] = true
            case "array": arguments[key] = []
            case "object": arguments[key] = [:]
            default: arguments[key] = .null
            }
        }
        return .object(arguments)
    }
}
