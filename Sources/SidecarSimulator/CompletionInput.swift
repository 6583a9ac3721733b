import Foundation
import SidecarSimGrammar

/// What the simulator reads from a completion request body: enough to pick a behaviour and derive a
/// deterministic, plausibly sized reply. Both vendors' message shapes are understood.
struct CompletionInput {
    var model: String?
    var stream = false
    /// OpenAI `stream_options.include_usage`.
    var includeUsage = false
    /// Text of the last user message (string content or its text blocks / parts).
    var lastUserText = ""
    /// The tools the request offers, in order.
    var tools: [OfferedTool] = []
    /// The last message carries a tool result (an Anthropic `tool_result` block, an OpenAI `tool` message).
    var endsWithToolResult = false
    /// Characters of text in the system prompt, messages and tools: the base of the input token estimate.
    var inputCharacters = 0

    init(body: [UInt8]) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return }
        model = object["model"] as? String
        stream = object["stream"] as? Bool ?? false
        includeUsage = (object["stream_options"] as? [String: Any])?["include_usage"] as? Bool ?? false
        let messages = object["messages"] as? [[String: Any]] ?? []
        if let last = messages.last(where: { $0["role"] as? String == "user" }) {
            lastUserText = Self.text(of: last["content"])
        }
        tools = (object["tools"] as? [[String: Any]] ?? []).compactMap(OfferedTool.init(json:))
        endsWithToolResult = messages.last.map(Self.isToolResult) ?? false
        inputCharacters =
            Self.characterCount(object["system"]) + Self.characterCount(messages)
            + Self.characterCount(object["tools"])
    }

    /// The call `sim-tools` makes (`SimToolCall`): to the first offered tool, else to `get_weather`.
    var simToolCall: ToolCall {
        tools.first?.call(userText: lastUserText)
            ?? ToolCall(name: SimToolCall.fallbackName, inputJSON: SimToolCall.fallbackArgumentsJSON)
    }

    /// About one token per four characters, at least one.
    var estimatedInputTokens: Int {
        max(1, (inputCharacters + 3) / 4)
    }

    private static func isToolResult(_ message: [String: Any]) -> Bool {
        if message["role"] as? String == "tool" { return true }
        let blocks = message["content"] as? [[String: Any]] ?? []
        return blocks.contains { $0["type"] as? String == "tool_result" }
    }

    private static func text(of content: Any?) -> String {
        if let text = content as? String { return text }
        let blocks = content as? [[String: Any]] ?? []
        return blocks.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }
            .joined(separator: " ")
    }

    private static func characterCount(_ value: Any?) -> Int {
        switch value {
        case let text as String: text.count
        case let array as [Any]: array.reduce(0) { $0 + characterCount($1) }
        case let object as [String: Any]: object.values.reduce(0) { $0 + characterCount($1) }
        default: 0
        }
    }
}
