import SidecarProtocol
import SidecarSimGrammar

/// The built-in provider of kind `simulated`: no network, no key. It streams a deterministic reply derived
/// from the last user message, with token counts of about one token per 4 characters (input counts the
/// whole prompt; with prompt caching on, the system prompt counts as read from the cache) and a short
/// pause between deltas. Meant for `provider-sidecar demo` and for users who test their agents offline.
///
/// The model name chooses the behaviour, in the `sim-*` grammar it shares with the HTTP simulator
/// (`SimModel`; the names are listed in README.md, "Simulated model names"). Any other name: a normal reply
/// (`end_turn`, or `max_tokens` when `max_tokens` cuts it).
public struct SimulatedProvider: Provider {
    /// No upstream, so no base URL and no key; the startup log says it answers with demo text.
    public static let providerKind = ProviderKind(
        name: "simulated", defaultBaseURL: nil, keyRule: .none, startupNote: "offline demo provider, no upstream",
        make: { settings, _ in SimulatedProvider(settings: settings) })

    public let name: String
    public var kind: String { Self.providerKind.name }
    /// The pause between deltas for models that do not choose their own.
    public let deltaDelay: Duration
    /// Only the config's `model_rules`: the kind has no built-in table.
    public let parameterRules: ParameterRules

    public init(settings: ProviderSettings, deltaDelay: Duration = .milliseconds(8)) {
        name = settings.name
        parameterRules = ParameterRules(kind: Self.providerKind.name, overrides: settings.modelRules)
        self.deltaDelay = deltaDelay
    }

    public func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error> {
        let parsed = SimModel(parsing: request.model)
        var outcome = parsed.outcome
        // Without a stream there is no event to carry the error: the upstream answers 529, as the HTTP one does.
        if case .errorEvent = outcome, !request.completion.stream { outcome = .fail(status: 529) }
        let script = SimulatedScript(
            events: Self.script(request, parsed, provider: name),
            delay: parsed.pacingMilliseconds.map { .milliseconds($0) } ?? deltaDelay, outcome: outcome,
            provider: name)
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
            case .delta(.thinking), .delta(.signature), .delta(.redactedThinking): break  // never simulated
            case .usage(let u): usage = u
            case .stop(let reason): stopReason = reason
            }
        }
        let text = content.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
        let tools = content.compactMap { block -> ContentBlock? in
            guard case .toolUse(let id, let name, _) = block else { return nil }
            return .toolCall(id: id, name: name, arguments: toolInput)
        }
        return ProviderResponse(
            content: (text.isEmpty ? [] : [.text(text)]) + tools, stopReason: stopReason,
            usage: usage)
    }

    public func healthCheck() async throws {}

    /// Roughly one token per 4 characters, at least one for any non-empty text.
    static func tokens(_ text: String) -> Int { (text.count + 3) / 4 }

    /// Every event of a successful answer, in order, with cumulative usage after each delta.
    private static func script(_ request: ProviderRequest, _ parsed: SimModel, provider: String) -> [StreamEvent] {
        let completion = request.completion
        let lastUser = completion.messages.last { $0.role == .user }?.content ?? []
        let userText = lastUser.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: " ")
        let gotToolResult = lastUser.contains { if case .toolResult = $0 { true } else { false } }
        let tool =
            parsed.callsTool && !gotToolResult ? SimulatedToolCall(offered: completion.tools, userText: userText) : nil
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

        let promptTokens = tokens(promptText(completion))
        let usage: (Int) -> Usage
        if parsed.reportsCache {
            usage = {
                Usage(
                    inputTokens: promptTokens, outputTokens: $0, cacheReadTokens: SimModel.cacheReadTokens,
                    cacheWriteTokens: SimModel.cacheWriteTokens)
            }
        } else {
            let cached = request.promptCaching ? tokens(completion.system ?? "") : 0
            usage = { Usage(inputTokens: promptTokens - cached, outputTokens: $0, cacheReadTokens: cached) }
        }
        let finish: StopReason? = parsed.finish.map { $0 == .maxTokens ? .maxTokens : .contentFilter }
        var events: [StreamEvent] = []
        var output = 0
        for word in words(reply) {
            let cost = tokens(word)
            if output + cost > request.maxTokens {
                return reporting(events + [.stop(.maxTokens)], parsed.usage)
            }
            output += cost
            events += [.delta(.text(word)), .usage(usage(output))]
        }
        guard let tool else { return reporting(events + [.stop(finish ?? .endTurn)], parsed.usage) }
        let json = tool.argumentsJSON
        let half = json.index(json.startIndex, offsetBy: json.count / 2)
        output += 10 + tokens(json)
        events.append(.delta(.toolUse(index: 1, toolUseID: "toolu_sim_\(completion.messages.count)", name: tool.name)))
        events.append(.delta(.toolInput(index: 1, partialJSON: String(json[..<half]))))
        events.append(.delta(.toolInput(index: 1, partialJSON: String(json[half...]))))
        return reporting(events + [.usage(usage(output)), .stop(finish ?? .toolUse)], parsed.usage)
    }

    /// `events` with usage reported as `sim-no-usage` asks: never, so the answer ends with `Usage.unreported`
    /// as an HTTP provider's does. How the counts are spread over the wire is the HTTP simulator's business.
    private static func reporting(_ events: [StreamEvent], _ reporting: SimUsageReporting) -> [StreamEvent] {
        guard reporting == .none else { return events }
        let content = events.filter { if case .usage = $0 { false } else { true } }
        return content.dropLast() + [.usage(.unreported)] + content.suffix(1)
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
}
