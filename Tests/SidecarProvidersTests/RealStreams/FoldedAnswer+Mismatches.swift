/// How a sidecar answer differs from the reference's, field by field.
extension FoldedAnswer {
    enum Field: String, CustomStringConvertible {
        case text
        case toolCalls = "tool calls"
        case thinkingBlocks = "thinking blocks"
        case outcome, usage

        var description: String { rawValue }
    }

    struct Mismatch: CustomStringConvertible {
        let field: Field
        let detail: String

        var description: String { "\(field): \(detail)" }
    }

    /// Each field in which this answer differs from `expected`.
    func mismatches(against expected: FoldedAnswer) -> [Mismatch] {
        var found: [Mismatch] = []
        func compare<Value>(_ field: Field, _ mine: Value, _ theirs: Value, by conforms: (Value, Value) -> Bool) {
            if !conforms(mine, theirs) {
                found.append(Mismatch(field: field, detail: "expected \(theirs), got \(mine)"))
            }
        }
        compare(.text, text, expected.text, by: ==)
        compare(.toolCalls, toolCalls, expected.toolCalls, by: ==)
        compare(.thinkingBlocks, thinkingBlocks, expected.thinkingBlocks) { mine, theirs in
            theirs == nil || mine == theirs
        }
        compare(.outcome, outcome, expected.outcome) { $0.conforms(to: $1) }
        compare(.usage, usage, expected.usage) { mine, theirs in
            // An SDK that raised at an error before reading the usage it carried (the OpenAI SDK at an error
            // chunk) knows none; the sidecar records it, as a failed attempt's spending.
            if case .failed = expected.outcome, theirs == .unreported { return true }
            // The reference holds token counts only: the service tier and the web-search count are not in it.
            var counts = mine
            counts.webSearchRequests = 0
            counts.serviceTier = nil
            return counts == theirs
        }
        return found
    }
}
