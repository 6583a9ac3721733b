import SidecarProtocol

/// Turns what a vendor stream folder learned into `StreamEvent`s in the order the `Provider` contract
/// requires, so both vendors share one implementation of it:
///
/// - nothing is emitted before the first real content (usage seen in a preamble is held back, so a
///   failure before content can still fail over);
/// - `.usage` is emitted whenever the known totals change after content started, and once more, final,
///   right before `.stop` (as `Usage.unreported` when upstream sent no counts at all);
/// - `.stop` is emitted once.
///
/// It also numbers content blocks: `index` in tool deltas is the block's position in the assembled
/// `done.content`, where consecutive text deltas form one text block, consecutive thinking deltas one
/// thinking block (closed by its signature), and each tool call or redacted thinking block is one block.
/// Upstream block numbers (which count dropped blocks such as Anthropic `server_tool_use`) are not used.
struct StreamEmitter: Sendable {
    private(set) var usage = UsageAccumulator()
    private var pending: [StreamEvent] = []
    private var contentStarted = false
    private var lastEmittedUsage: Usage?
    private var blockCount = 0
    private var lastBlock = LastBlock.none
    private(set) var stopped = false

    /// What the next delta may extend.
    private enum LastBlock: Sendable {
        case none, text, openThinking
    }

    init() {}

    mutating func text(_ text: String) {
        guard !text.isEmpty else { return }
        startBlock(unless: .text)
        content(.text(text))
    }

    mutating func thinking(_ text: String) {
        guard !text.isEmpty else { return }
        startBlock(unless: .openThinking)
        content(.thinking(text))
    }

    /// Closes the open thinking block, or makes one without text (an upstream that omits the reasoning).
    mutating func signature(_ signature: String) {
        guard !signature.isEmpty else { return }
        startBlock(unless: .openThinking)
        lastBlock = .none
        content(.signature(signature))
    }

    mutating func redactedThinking(_ data: String) {
        startBlock(unless: .none)
        content(.redactedThinking(data: data))
    }

    /// Starts a tool call block; returns its content position for the argument fragments.
    mutating func startTool(id: String, name: String) -> Int {
        let position = blockCount
        blockCount += 1
        lastBlock = .none
        content(.toolUse(index: position, toolUseID: id, name: name))
        return position
    }

    mutating func toolInput(at position: Int, _ partialJSON: String) {
        guard !partialJSON.isEmpty else { return }
        content(.toolInput(index: position, partialJSON: partialJSON))
    }

    mutating func mergeUsage(_ report: UpstreamUsage) {
        usage.merge(report)
        if contentStarted { emitUsage(final: false) }
    }

    mutating func stop(_ reason: StopReason) {
        guard !stopped else { return }
        stopped = true
        emitUsage(final: true)
        pending.append(.stop(reason))
    }

    /// The events produced since the last call.
    mutating func take() -> [StreamEvent] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Counts a new block unless the last one is `kind` and still open; `.none` always starts one.
    private mutating func startBlock(unless kind: LastBlock) {
        if kind == .none || lastBlock != kind {
            blockCount += 1
            lastBlock = kind
        }
    }

    private mutating func content(_ delta: Delta) {
        pending.append(.delta(delta))
        if !contentStarted {
            contentStarted = true
            emitUsage(final: false)
        }
    }

    private mutating func emitUsage(final: Bool) {
        let current = usage.usage
        guard current.reported || final, current != lastEmittedUsage else { return }
        lastEmittedUsage = current
        pending.append(.usage(current))
    }
}
