extension SimModel {
    /// Parses a model name. Parts joined by `+` combine (`sim-tools+crlf+split-1`), each may carry the `sim-`
    /// prefix, a later part overrides an earlier one, and a part that is not in the grammar (`sim-echo`,
    /// `sim-1`, `claude-test`) changes nothing: the name then asks for a plain reply.
    public init(parsing name: String) {
        self.init()
        for part in name.split(separator: "+") {
            apply(String(part.hasPrefix("sim-") ? part.dropFirst(4) : part[...]))
        }
    }

    private mutating func apply(_ word: String) {
        switch word {
        case "hang": outcome = .hang
        case "fail-refused": outcome = .connectionRefused
        case "fail-timeout": outcome = .timedOut
        case "error-event": outcome = .errorEvent(afterEvents: nil)
        case "tools": callsTool = true
        case "fast": pacingMilliseconds = 0
        case "slow": pacingMilliseconds = Self.slowPacingMilliseconds
        case "no-usage": usage = .none
        case "usage-delta-only": usage = .onlyInMessageDelta
        case "cache": reportsCache = true
        case "max-tokens": finish = .maxTokens
        case "content-filter": finish = .contentFilter
        case "thinking": unknownEvents = true
        case "split-random": wire.split = .random
        case "crlf": wire.lineEnding = .crlf
        case "cr": wire.lineEnding = .cr
        case "comments": wire.comments = true
        case "bom": wire.byteOrderMark = true
        default: applyNumbered(word)
        }
    }

    /// `fail-NNN`, `abort-N`, `error-event-N`, `slow-MS`, `pace-MS`, `split-N`.
    private mutating func applyNumbered(_ word: String) {
        guard let dash = word.lastIndex(of: "-"), let number = Int(word[word.index(after: dash)...]), number >= 0
        else { return }
        switch word[..<dash] {
        case "fail" where (100...599).contains(number): outcome = .fail(status: number)
        case "abort": outcome = .abort(afterEvents: number)
        case "error-event": outcome = .errorEvent(afterEvents: number)
        case "slow", "pace": pacingMilliseconds = number
        case "split" where number > 0: wire.split = .every(number)
        default: break
        }
    }
}
