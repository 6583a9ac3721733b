import SidecarProtocol

/// Builds `done.content` from the deltas sent to the client, so the terminal frame repeats exactly what
/// was streamed: consecutive text deltas form one text block, consecutive thinking deltas one thinking
/// block until a signature closes it, a redacted thinking delta is one block, and a tool call is the block
/// at its `index`, with its argument fragments joined and parsed at the end.
///
/// Linear in the answer's size: each delta is appended in place to its block's buffer (a `String` held
/// once, in `parts`), never by rebuilding the block, and `content` hands those buffers on without copying.
struct ContentAccumulator: Sendable {
    private enum Block {
        /// The text is `parts[part]`.
        case text(part: Int)
        /// The argument JSON is `parts[part]`.
        case tool(id: String, name: String, part: Int)
        /// The reasoning is `parts[part]`; open (extended by thinking deltas) while `signature` is nil.
        case thinking(part: Int, signature: String?)
        case redacted(data: String)
    }

    private var blocks: [Block] = []
    /// The growing text of every block; kept apart from `blocks` so appending never copies a block's text.
    private var parts: [String] = []
    private var toolBlock: [Int: Int] = [:]

    mutating func add(_ delta: Delta) {
        switch delta {
        case .text(let text):
            if case .text(let part)? = blocks.last {
                parts[part] += text
            } else {
                blocks.append(.text(part: parts.count))
                parts.append(text)
            }
        case .toolUse(let index, let id, let name):
            toolBlock[index] = blocks.count
            blocks.append(.tool(id: id, name: name, part: parts.count))
            parts.append("")
        case .toolInput(let index, let partial):
            guard let position = toolBlock[index], case .tool(_, _, let part) = blocks[position] else { return }
            parts[part] += partial
        case .thinking(let text):
            if case .thinking(let part, nil)? = blocks.last {
                parts[part] += text
            } else {
                blocks.append(.thinking(part: parts.count, signature: nil))
                parts.append(text)
            }
        case .signature(let signature):
            if case .thinking(let part, nil)? = blocks.last {
                blocks[blocks.count - 1] = .thinking(part: part, signature: signature)
            } else {
                blocks.append(.thinking(part: parts.count, signature: signature))
                parts.append("")
            }
        case .redactedThinking(let data):
            blocks.append(.redacted(data: data))
        }
    }

    /// The blocks; a tool call whose arguments are not a JSON object (cut off, or malformed) comes out
    /// incomplete, with the raw text (see `ContentBlock.toolCall`).
    var content: [ContentBlock] {
        blocks.map { block in
            switch block {
            case .text(let part):
                return .text(parts[part])
            case .tool(let id, let name, let part):
                return .toolCall(id: id, name: name, arguments: parts[part])
            case .thinking(let part, let signature):
                return .thinking(text: parts[part], signature: signature)
            case .redacted(let data):
                return .redactedThinking(data: data)
            }
        }
    }
}
