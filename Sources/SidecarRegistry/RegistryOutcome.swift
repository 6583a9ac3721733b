import SidecarProtocol

/// How an executed plan ended, in one shape whether or not a model answered, so the server prices,
/// records and answers both the same way: `usage` belongs to `candidate`, and `failedAttemptUsage` to the
/// attempts that failed before it.
public struct RegistryOutcome: Sendable {
    public enum Ending: Sendable {
        case answered(Answer)
        /// The request ends with the error; `lastTried` is nil when no candidate was attempted.
        case failed(SidecarError, lastTried: Candidate?)
    }

    public var ending: Ending
    /// What the answering or failing attempt reported (zero when a failure produced no content).
    public var usage: Usage
    /// What attempts that failed and were retried or failed over from reported spending, in order; not in
    /// `usage`, which is what the client is answered with. The ledger and the budget count both.
    public var failedAttemptUsage: [AttemptUsage]
    public var attempts: [Attempt]
    /// Milliseconds from the start of execution to the first delta, when one was streamed.
    public var ttftMs: Int?
    /// Milliseconds from the start of execution to its end.
    public var latencyMs: Int

    /// Everything the request spent, `usage` plus `failedAttemptUsage`: what the ledger records and the budget
    /// counts. `reported` (and `serviceTier`) is `usage`'s, so an answer whose count is unknown keeps the total marked unknown.
    public var spentUsage: Usage {
        failedAttemptUsage.reduce(into: usage) { total, attempt in
            total.inputTokens += attempt.usage.inputTokens
            total.outputTokens += attempt.usage.outputTokens
            total.cacheReadTokens += attempt.usage.cacheReadTokens
            total.cacheWriteTokens += attempt.usage.cacheWriteTokens
            total.cacheWrite1hTokens += attempt.usage.cacheWrite1hTokens
            total.webSearchRequests += attempt.usage.webSearchRequests
            if let reasoning = attempt.usage.reasoningTokens {
                total.reasoningTokens = (total.reasoningTokens ?? 0) + reasoning
            }
        }
    }

    /// The candidate `usage` is priced and recorded against: the one that answered, else the last one
    /// tried; nil when none was.
    public var candidate: Candidate? {
        switch ending {
        case .answered(let answer): return answer.candidate
        case .failed(_, let lastTried): return lastTried
        }
    }
}

/// The usage one attempt reported, with the candidate it is priced at.
public struct AttemptUsage: Sendable, Equatable {
    public var candidate: Candidate
    public var usage: Usage
}

/// A model's complete answer.
public struct Answer: Sendable {
    public var candidate: Candidate
    public var stopReason: StopReason
    public var content: [ContentBlock]
}
