import Foundation

/// A reply resolved against one request: the concrete text, ids and token counts both vendor scripts render.
struct ReplyPlan {
    struct Call {
        var id: String
        var name: String
        var inputJSON: String
    }

    var model: String
    /// Request sequence number, used to make ids unique and deterministic.
    var serial: Int
    var created: Int
    var text: String
    var calls: [Call]
    var inputTokens: Int
    var outputTokens: Int
    var cacheReadTokens: Int
    var cacheWriteTokens: Int
    var usage: UsageReporting
    var unknownEvents: Bool
    var finish: Finish
    /// OpenAI: the request asked for the final usage chunk.
    var includeUsage: Bool

    init(reply: Reply, input: CompletionInput, serial: Int, idPrefix: String) {
        model = input.model ?? "sim-model"
        self.serial = serial
        created = Int(Date().timeIntervalSince1970)
        let offeredCall = reply.callsOfferedTool && !input.endsWithToolResult ? input.simToolCall : nil
        text = reply.text ?? (offeredCall == nil ? Self.sentence(answering: input.lastUserText) : Self.lookingUp)
        calls = (reply.toolCalls + (offeredCall.map { [$0] } ?? [])).enumerated().map { index, call in
            Call(
                id: call.id ?? "\(idPrefix)\(Self.serialText(serial))_\(index)", name: call.name,
                inputJSON: call.inputJSON)
        }
        let outputCharacters = text.count + calls.reduce(0) { $0 + $1.name.count + $1.inputJSON.count }
        inputTokens = reply.inputTokens ?? input.estimatedInputTokens
        outputTokens = reply.outputTokens ?? max(1, (outputCharacters + 3) / 4)
        cacheReadTokens = reply.cacheReadTokens
        cacheWriteTokens = reply.cacheWriteTokens
        usage = reply.usage
        unknownEvents = reply.unknownEvents
        finish = reply.finish ?? (calls.isEmpty ? .endTurn : .toolUse)
        includeUsage = input.includeUsage
    }

    /// The text before the call `sim-tools` makes.
    static let lookingUp = "Let me look that up."

    /// The serial as six digits, for ids like `msg_sim_000042`.
    static func serialText(_ serial: Int) -> String {
        let digits = String(serial)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The text in delta-sized pieces: each word with the space before it, as tokenizers cut text.
    var textPieces: [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " ", !current.isEmpty, current != " " {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// JSON text in fragments of a few characters, never inside a character, as tool arguments stream.
    static func fragments(of json: String) -> [String] {
        var fragments: [String] = []
        var current = ""
        for character in json {
            current.append(character)
            if current.count == 8 {
                fragments.append(current)
                current = ""
            }
        }
        if !current.isEmpty { fragments.append(current) }
        return fragments
    }

    /// A deterministic answer to `message`: the same input always gets the same text.
    private static func sentence(answering message: String) -> String {
        let words = message.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return "Hello from the simulated upstream." }
        var snippet = words.prefix(12).joined(separator: " ")
        if words.count > 12 { snippet += " ..." }
        return "This is a simulated reply to \"\(snippet)\" (\(words.count) words)."
    }
}
