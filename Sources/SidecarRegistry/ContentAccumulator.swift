import SidecarProtocol

/// Builds `done.content` from the deltas sent to the client, so the terminal frame repeats exactly what
/// was streamed: consecutive text deltas form one text block, and a tool call is the block at its
/// `index`, with its argument fragments joined and parsed at the end.
struct ContentAccumulator: Sendable {
    private enum Block {
        case text(String)
        case tool(id: String, name: String, json: String)
    }

    private var blocks: [Block] = []
    private var toolBlock: [Int: Int] = [:]

    mutating func add(_ delta: Delta) {
        switch delta {
        case .text(let text):
            if case .text(let previous)? = blocks.last {
                blocks[blocks.count - 1] = .text(previous + text)
            } else {
                blocks.append(.text(text))
            }
        case .toolUse(let index, let id, let name):
            toolBlock[index] = blocks.count
            blocks.append(.tool(id: id, name: name, json: ""))
        case .toolInput(let index, let partial):
            guard let position = toolBlock[index], case .tool(let id, let name, let json) = blocks[position] else {
                return
            }
            blocks[position] = .tool(id: id, name: name, json: json + partial)
        }
    }

    /// The blocks; tool arguments that are not a JSON object come out as `{}`.
    var content: [ContentBlock] {
        blocks.map { block in
            switch block {
            case .text(let text):
                return .text(text)
            case .tool(let id, let name, let json):
                let input = json.isEmpty ? nil : try? JSONValue.parse(Array(json.utf8))
                return .toolUse(id: id, name: name, input: input?.objectValue.map { .object($0) } ?? [:])
            }
        }
    }
}
