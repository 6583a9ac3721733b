import SidecarProtocol

/// How a completion ended, as the server needs it for the terminal frame and the ledger.
public enum RegistryOutcome: Sendable {
    /// The answer. `costUSD` is nil: pricing is the server's (ledger's) business.
    case done(CompletionResult)
    /// The request ends with `error`. `usage` is what the failing attempt had reported (zero when no
    /// content was produced); `provider`/`model` name the last candidate tried, nil when none was.
    case failed(SidecarError, usage: Usage, attempts: [Attempt], provider: String?, model: String?, ttftMs: Int?)
}
