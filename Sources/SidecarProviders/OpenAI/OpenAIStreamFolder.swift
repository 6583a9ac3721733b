import SidecarProtocol

/// Folds OpenAI Chat Completions stream chunks (`chat.completion.chunk` objects, then `data: [DONE]`).
///
/// Text comes in `choices[0].delta.content`; tool calls in `choices[0].delta.tool_calls`, keyed by
/// `index`, with `id` and `function.name` first and `function.arguments` in fragments; `finish_reason`
/// in the last choice chunk; usage (with `stream_options.include_usage`) in a final chunk whose `choices`
/// is empty. A compatible server's reasoning (`delta.reasoning_content`: DeepSeek, vLLM...) becomes a thinking
/// block without signature. Unknown delta fields are ignored.
struct OpenAIStreamFolder: StreamFolder {
    private let errors: UpstreamError
    private var out = StreamEmitter()
    private var tools: [Int: ToolCall] = [:]
    private var finishReason: StopReason?
    /// The answer carried a `refusal`: it ends with `refusal`, whatever `finish_reason` says.
    private var refused = false
    private(set) var isFinished = false
    var reportedUsage: Usage? { out.usage.reportedUsage }

    /// A tool call is forwarded once its name is known; argument fragments that arrive earlier wait.
    private enum ToolCall: Sendable {
        case pending(id: String?, arguments: String)
        case started(position: Int)
    }

    init(errors: UpstreamError) { self.errors = errors }

    mutating func fold(event: String?, data: String) throws -> [StreamEvent] {
        guard !isFinished, !data.isEmpty else { return [] }
        if data == "[DONE]" {
            isFinished = true
            out.stop(Self.stopReason(finishReason ?? .endTurn, refused: refused))
            return out.take()
        }
        guard let json = try? JSONValue.parse(Array(data.utf8)) else {
            throw errors.malformed("chunk is not JSON")
        }
        // Before the error check: an error chunk may carry the usage of what was spent (OpenRouter does).
        if let usage = json["usage"], usage.objectValue != nil {
            out.mergeUsage(.openAI(usage, tier: json["service_tier"], text: errors.text))
        }
        if let error = json["error"], error != .null {
            throw errors.event(error)
        }
        if let choice = json["choices"]?.arrayValue?.first {
            if let delta = choice["delta"] { apply(delta) }
            if let reason = choice["finish_reason"]?.stringValue {
                finishReason = Self.toStopReason(reason, text: errors.text)
            }
        }
        return out.take()
    }

    /// Some compatible servers end the body after the finish_reason chunk without `[DONE]`: accepted.
    mutating func end() throws -> [StreamEvent] {
        if isFinished { return [] }
        guard let finishReason else { throw errors.truncated("[DONE]") }
        isFinished = true
        out.stop(Self.stopReason(finishReason, refused: refused))
        return out.take()
    }

    private mutating func apply(_ delta: JSONValue) {
        if let reasoning = delta["reasoning_content"]?.stringValue { out.thinking(reasoning) }
        if let text = delta["content"]?.stringValue { out.text(text) }
        if let refusal = delta["refusal"]?.stringValue, !refusal.isEmpty {
            refused = true
            out.text(refusal)
        }
        for (offset, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
            applyToolCall(call, index: call["index"]?.intValue ?? offset)
        }
    }

    private mutating func applyToolCall(_ call: JSONValue, index: Int) {
        let fragment = call["function"]?["arguments"]?.stringValue ?? ""
        switch tools[index] ?? .pending(id: nil, arguments: "") {
        case .started(let position):
            out.toolInput(at: position, fragment)
        case .pending(let id, let arguments):
            let id = call["id"]?.stringValue ?? id
            guard let name = call["function"]?["name"]?.stringValue, !name.isEmpty else {
                tools[index] = .pending(id: id, arguments: arguments + fragment)
                return
            }
            let position = out.startTool(id: id ?? "call_\(index)", name: name)
            tools[index] = .started(position: position)
            out.toolInput(at: position, arguments + fragment)
        }
    }

    /// `stop` -> end_turn (OpenAI does not tell a stop sequence from a natural end), `length` ->
    /// max_tokens, `tool_calls` / `function_call` -> tool_use, `content_filter` -> content_filter; any other
    /// reason under its own name.
    static func toStopReason(_ reason: String, text: UpstreamText) -> StopReason {
        switch reason {
        case "stop": return .endTurn
        case "length": return .maxTokens
        case "tool_calls", "function_call": return .toolUse
        case "content_filter": return .contentFilter
        default: return text.stopReason(reason)
        }
    }

    /// OpenAI ends a refusal with `stop`, like an answer; the sidecar says `refusal` so a client can tell them
    /// apart (the refusal's text still arrives as text).
    static func stopReason(_ reason: StopReason, refused: Bool) -> StopReason { refused ? .refusal : reason }
}
