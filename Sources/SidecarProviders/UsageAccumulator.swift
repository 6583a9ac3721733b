import SidecarProtocol

/// Merges usage reports field by field: for each token class the last non-null value wins, never a sum.
///
/// Anthropic reports input and cache counts in `message_start` and the cumulative output count in
/// `message_delta` (some compatible backends report everything only in `message_delta`); OpenAI-compatible
/// servers report one snapshot, or a cumulative snapshot per chunk. Every report is a running total, so
/// replacing is right and adding would double count.
struct UsageAccumulator: Sendable, Equatable {
    private var last = UpstreamUsage()

    init() {}

    mutating func merge(_ report: UpstreamUsage) {
        last.input = report.input ?? last.input
        last.output = report.output ?? last.output
        last.cacheRead = report.cacheRead ?? last.cacheRead
        last.cacheWrite = report.cacheWrite ?? last.cacheWrite
        last.cacheWrite1h = report.cacheWrite1h ?? last.cacheWrite1h
        last.reasoning = report.reasoning ?? last.reasoning
        last.webSearches = report.webSearches ?? last.webSearches
        last.serviceTier = report.serviceTier ?? last.serviceTier
        last.malformed += report.malformed
    }

    /// True once upstream reported at least one count.
    var reported: Bool {
        last.input != nil || last.output != nil || last.cacheRead != nil || last.cacheWrite != nil
            || last.cacheWrite1h != nil || last.reasoning != nil || last.webSearches != nil
    }

    /// What a failure carries: the normalized usage once upstream reported any count (or a malformed one,
    /// so the server can log it), else nil.
    var reportedUsage: Usage? { reported || !last.malformed.isEmpty ? usage : nil }

    /// The normalized usage; `Usage.unreported` when upstream never sent any count, so a missing report
    /// is never mistaken for zero tokens. The 1-hour writes are part of all writes: a report claiming more
    /// of them than writes in total has its total raised to match rather than a negative count of 5-minute
    /// writes.
    var usage: Usage {
        guard last.malformed.isEmpty else {
            return Usage(reported: false, problem: last.malformed.joined(separator: " "))
        }
        guard reported else { return .unreported }
        let write1h = last.cacheWrite1h ?? 0
        return Usage(
            inputTokens: last.input ?? 0, outputTokens: last.output ?? 0, cacheReadTokens: last.cacheRead ?? 0,
            cacheWriteTokens: max(last.cacheWrite ?? 0, write1h), cacheWrite1hTokens: write1h,
            reasoningTokens: last.reasoning, webSearchRequests: last.webSearches ?? 0, serviceTier: last.serviceTier)
    }
}
