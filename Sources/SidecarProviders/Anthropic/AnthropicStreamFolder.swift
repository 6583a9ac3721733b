import SidecarProtocol

/// Folds Anthropic Messages API stream events (`message_start`, `content_block_start`,
/// `content_block_delta`, `content_block_stop`, `message_delta`, `message_stop`, `ping`, `error`).
///
/// `message_start` may already hold content blocks and a `stop_reason` (a programmatic tool calling
/// continuation sends a whole tool call there and no content_block events): the blocks are folded as if
/// streamed, and that stop reason holds unless `message_delta` gives one.
///
/// `thinking` blocks become thinking deltas (`thinking_delta`) closed by their signature (`signature_delta`,
/// or a `signature` already in `content_block_start`); a `redacted_thinking` block is one delta.
///
/// Forward compatible: unknown event types, unknown block types (`server_tool_use`...) and unknown delta
/// types (`citations_delta`...) are ignored, so they never break a stream.
struct AnthropicStreamFolder: StreamFolder {
    private let errors: UpstreamError
    /// The request's `stop` sequences: the only text `stop_sequence` may report.
    private let stopSequences: [String]
    private var out = StreamEmitter()
    /// Upstream block index -> content position, for tool_use blocks.
    private var toolBlocks: [Int: Int] = [:]
    /// Upstream block indexes of text blocks.
    private var textBlocks: Set<Int> = []
    /// Upstream block indexes of thinking blocks.
    private var thinkingBlocks: Set<Int> = []
    /// From `message_delta`.
    private var stopReason: StopReason?
    /// From `message_start`; unlike `stopReason` it does not make a body ending without `message_stop` complete.
    private var stopReasonAtStart: StopReason?
    private(set) var isFinished = false
    var reportedUsage: Usage? { out.usage.reportedUsage }

    init(errors: UpstreamError, stopSequences: [String]) {
        self.errors = errors
        self.stopSequences = stopSequences
    }

    mutating func fold(event: String?, data: String) throws -> [StreamEvent] {
        guard !isFinished, !data.isEmpty else { return [] }
        guard let json = try? JSONValue.parse(Array(data.utf8)) else {
            throw errors.malformed("event \(errors.text.name(event ?? "message")) is not JSON")
        }
        switch json["type"]?.stringValue ?? event {
        case "message_start":
            mergeUsage(json["message"]?["usage"])
            for (index, block) in (json["message"]?["content"]?.arrayValue ?? []).enumerated() {
                startBlock(index: index, block: block)
            }
            stopReasonAtStart = stopReason(in: json["message"])
        case "content_block_start":
            startBlock(index: json["index"]?.intValue, block: json["content_block"])
        case "content_block_delta":
            applyDelta(index: json["index"]?.intValue, delta: json["delta"])
        case "message_delta":
            if let reason = stopReason(in: json["delta"]) { stopReason = reason }
            mergeUsage(json["usage"])
        case "message_stop":
            isFinished = true
            out.stop(stopReason ?? stopReasonAtStart ?? .endTurn)
        case "error":
            throw errors.event(json["error"] ?? .null)
        default:
            break  // ping, content_block_stop, and event types added after this code was written
        }
        return out.take()
    }

    /// A body that ends after `message_delta` gave a stop reason but without `message_stop` is accepted
    /// (some compatible backends omit it); one that ends earlier was cut.
    mutating func end() throws -> [StreamEvent] {
        if isFinished { return [] }
        guard let stopReason else { throw errors.truncated("message_stop") }
        isFinished = true
        out.stop(stopReason)
        return out.take()
    }

    private mutating func startBlock(index: Int?, block: JSONValue?) {
        guard let index, let block else { return }
        switch block["type"]?.stringValue {
        case "text":
            textBlocks.insert(index)
            out.text(block["text"]?.stringValue ?? "")
        case "thinking":
            thinkingBlocks.insert(index)
            out.thinking(block["thinking"]?.stringValue ?? "")
            out.signature(block["signature"]?.stringValue ?? "")
        case "redacted_thinking":
            out.redactedThinking(block["data"]?.stringValue ?? "")
        case "tool_use":
            let position = out.startTool(
                id: block["id"]?.stringValue ?? "toolu_\(index)",
                name: block["name"]?.stringValue ?? "")
            toolBlocks[index] = position
            // The real API streams the input as input_json_delta after an empty `{}`; a backend that
            // sends the whole input here still gets it forwarded.
            if let input = block["input"], input != [:] {
                out.toolInput(at: position, String(decoding: input.encoded(), as: UTF8.self))
            }
        default:
            break
        }
    }

    private mutating func applyDelta(index: Int?, delta: JSONValue?) {
        guard let index, let delta else { return }
        switch delta["type"]?.stringValue {
        case "text_delta" where textBlocks.contains(index):
            out.text(delta["text"]?.stringValue ?? "")
        case "thinking_delta" where thinkingBlocks.contains(index):
            out.thinking(delta["thinking"]?.stringValue ?? "")
        case "signature_delta" where thinkingBlocks.contains(index):
            out.signature(delta["signature"]?.stringValue ?? "")
        case "input_json_delta":
            if let position = toolBlocks[index] {
                out.toolInput(at: position, delta["partial_json"]?.stringValue ?? "")
            }
        default:
            break
        }
    }

    private mutating func mergeUsage(_ usage: JSONValue?) {
        guard let usage, usage.objectValue != nil else { return }
        out.mergeUsage(.anthropic(usage, text: errors.text))
    }

    private func stopReason(in object: JSONValue?) -> StopReason? {
        object.flatMap { Self.toStopReason(in: $0, requested: stopSequences, text: errors.text) }
    }

    /// The `stop_reason` of a message or `message_delta.delta`, under its own name (`pause_turn`, `refusal`,
    /// `compaction`, `model_context_window_exceeded` and any reason added later included); `stop_sequence`
    /// with the `stop_sequence` that matched. nil when there is none (`null` while streaming).
    static func toStopReason(in object: JSONValue, requested: [String], text: UpstreamText) -> StopReason? {
        guard let reason = object["stop_reason"]?.stringValue else { return nil }
        guard reason == StopReason.stopSequence.rawValue else { return text.stopReason(reason) }
        return .stopSequence(matched: object["stop_sequence"]?.stringValue, requested: requested)
    }
}
