import SidecarProtocol

/// How an executed plan ended, in one shape whether or not a model answered, so the server prices,
/// records and answers both the same way: `usage` belongs to `candidate`.
public struct RegistryOutcome: Sendable {
    public enum Ending: Sendable {
        case answered(Answer)
        /// The request ends with the error; `lastTried` is nil when no candidate was attempted.
        case failed(SidecarError, lastTried: Candidate?)
    }

    public var ending: Ending
    /// What the answering or failing attempt reported (zero when a failure produced no content).
    public var usage: Usage
    public var attempts: [Attempt]
    /// Milliseconds from the start of execution to the first delta, when one was streamed.
    public var ttftMs: Int?
    /// Milliseconds from the start of execution to its end.
    public var latencyMs: Int

    /// The candidate `usage` is priced and recorded against: the one that answered, else the last one
    /// tried; nil when none was.
    public var candidate: Candidate? {
        switch ending {
        case .answered(let answer): return answer.candidate
        case .failed(_, let lastTried): return lastTried
        }
    }
}

/// A model's complete answer.
public struct Answer: Sendable {
    public var candidate: Candidate
    public var stopReason: StopReason
    public var content: [ContentBlock]
}
