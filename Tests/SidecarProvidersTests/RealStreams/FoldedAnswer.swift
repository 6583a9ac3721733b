import SidecarProtocol

@testable import SidecarProviders
@testable import SidecarRegistry

/// What a streamed answer comes to, in the terms the sidecar and the SDK references share.
struct FoldedAnswer {
    struct ToolCall: Equatable, CustomStringConvertible {
        var id: String
        var name: String
        var input: JSONValue

        var description: String { "\(name)#\(id)(\(String(decoding: input.encoded(), as: UTF8.self)))" }
    }

    enum Outcome: Equatable {
        case stopped(StopReason)
        /// `nil`: a failure whose class is not known (the reference names no error type), which any
        /// failure conforms to.
        case failed(FailureClass?)
        /// The stream ended with an error that is not a `ProviderFailure`, or without one stop: never conforms.
        case broken(String)

        func conforms(to expected: Outcome) -> Bool {
            if case .failed(nil) = expected, case .failed = self { return true }
            return self == expected
        }
    }

    var text: String
    var toolCalls: [ToolCall]
    /// The `thinking` and `redacted_thinking` blocks, in order, with their text, signatures and data; nil in
    /// a reference that does not record them (which any answer's conform to).
    var thinkingBlocks: [ContentBlock]?
    var outcome: Outcome
    var usage: Usage
}

extension FoldedAnswer {
    /// The sidecar's answer: its deltas assembled as `done.content` is (`ContentAccumulator`), the usage a
    /// failure carries or else the last usage it reported (`unreported` when none, as the ledger records it),
    /// and the stop or failure that ended it.
    /// An incomplete tool call's input is `null`, as on the wire.
    init(events: [StreamEvent], error: (any Error)?) {
        var accumulator = ContentAccumulator()
        for case .delta(let delta) in events { accumulator.add(delta) }
        let content = accumulator.content
        text = content.map { if case .text(let text) = $0 { text } else { "" } }.joined()
        toolCalls = content.compactMap {
            switch $0 {
            case .toolUse(let id, let name, let input): ToolCall(id: id, name: name, input: input)
            case .incompleteToolUse(let id, let name, _): ToolCall(id: id, name: name, input: .null)
            default: nil
            }
        }
        thinkingBlocks = content.filter(\.isThinking)
        usage = (error as? ProviderFailure)?.usage ?? events.lastUsage ?? .unreported
        switch error {
        case nil where events.stops.count == 1: outcome = .stopped(events.stops[0])
        case nil: outcome = .broken("ended with \(events.stops.count) stops")
        case let failure as ProviderFailure: outcome = .failed(failure.failureClass)
        case let error?: outcome = .broken(String(describing: error))
        }
    }
}
