import SidecarProtocol
import SidecarRegistry

/// The one gate between what an upstream reports and what is charged, recorded and returned in `done`.
///
/// Token counts come from the upstream's JSON; a buggy or hostile backend can send `-100000` (which would
/// credit the agent's budget back) or `8.9e15` (which would lock the agent out for the day and overflow
/// sums), or `1.5` or `"12"`. A count must be a non-negative integer below `ceiling` per token class and
/// request; when any is not, the whole report is distrusted and the request counts as having reported no usage
/// (`reported: false`, zeros), and the values are logged.
enum UsageScreen {
    /// Per token class and request: far above any real context window plus output.
    static let ceiling = 1_000_000_000

    /// Why the report is not trusted, for the log: counts that were not integers (found by the provider), or
    /// counts outside `0..<ceiling`; nil when every count is plausible.
    static func problem(_ usage: Usage) -> String? {
        if let problem = usage.problem { return problem }
        let counts = [
            ("input_tokens", usage.inputTokens), ("output_tokens", usage.outputTokens),
            ("cache_read_tokens", usage.cacheReadTokens), ("cache_write_tokens", usage.cacheWriteTokens),
            ("cache_write_1h_tokens", usage.cacheWrite1hTokens), ("reasoning_tokens", usage.reasoningTokens ?? 0),
            ("web_search_requests", usage.webSearchRequests),
        ]
        let bad = counts.filter { !(0..<ceiling).contains($0.1) }
        return bad.isEmpty ? nil : bad.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// `outcome` with implausible usage replaced by `Usage.unreported` (a failed attempt's is dropped: it then
    /// adds nothing), and the problems found, if any.
    static func screen(_ outcome: RegistryOutcome) -> (RegistryOutcome, problem: String?) {
        var screened = outcome
        var problems: [String] = []
        if let problem = problem(outcome.usage) {
            screened.usage = .unreported
            problems.append(problem)
        }
        screened.failedAttemptUsage = outcome.failedAttemptUsage.filter { attempt in
            guard let problem = problem(attempt.usage) else { return true }
            problems.append("\(attempt.candidate) (failed attempt): \(problem)")
            return false
        }
        return (screened, problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
