import SidecarProtocol

/// Merges usage reports field by field: for each token class the last non-null value wins, never a sum.
///
/// Anthropic reports input and cache counts in `message_start` and the cumulative output count in
/// `message_delta` (some compatible backends report everything only in `message_delta`); OpenAI-compatible
/// servers report one snapshot, or a cumulative snapshot per chunk. Every report is a running total, so
/// replacing is right and adding would double count.
struct UsageAccumulator: Sendable, Equatable {
    private var input: Int?
    private var output: Int?
    private var cacheRead: Int?
    private var cacheWrite: Int?
    /// Counts that were present but not integers (`TokenCounts`): the report is not trusted.
    private var malformed: [String] = []

    init() {}

    mutating func merge(
        input: Int? = nil, output: Int? = nil, cacheRead: Int? = nil, cacheWrite: Int? = nil, malformed: [String] = []
    ) {
        self.input = input ?? self.input
        self.output = output ?? self.output
        self.cacheRead = cacheRead ?? self.cacheRead
        self.cacheWrite = cacheWrite ?? self.cacheWrite
        self.malformed += malformed
    }

    /// True once upstream reported at least one count.
    var reported: Bool { input != nil || output != nil || cacheRead != nil || cacheWrite != nil }

    /// What a failure carries: the normalized usage once upstream reported any count (or a malformed one,
    /// so the server can log it), else nil.
    var reportedUsage: Usage? { reported || !malformed.isEmpty ? usage : nil }

    /// The normalized usage; `Usage.unreported` when upstream never sent any count, so a missing report
    /// is never mistaken for zero tokens.
    var usage: Usage {
        guard malformed.isEmpty else { return Usage(reported: false, problem: malformed.joined(separator: " ")) }
        guard reported else { return .unreported }
        return Usage(
            inputTokens: input ?? 0, outputTokens: output ?? 0, cacheReadTokens: cacheRead ?? 0,
            cacheWriteTokens: cacheWrite ?? 0)
    }
}
