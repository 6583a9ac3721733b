import SidecarProtocol
import SidecarProviders

/// Everything decided about one request before any provider is called, made once by `Registry.plan`:
/// the server reserves the budget from it (`maxTokens`, the first candidate's price), then
/// `Registry.execute` runs it, so both work from the same resolution.
///
/// Run a plan on the registry that made it: each candidate holds that registry's provider slot (its
/// breaker and provider), while clock, backoff and events are the executing registry's.
public struct RequestPlan: Sendable {
    public let request: CompletionRequest
    /// The failover chain, in the order the candidates are tried.
    public let candidates: [PlannedCandidate]
    /// The output bound every attempt asks for: the request's `max_tokens`, else its agent's, else
    /// `ProviderRequest.defaultMaxTokens`.
    public let maxTokens: Int
    /// The most the execution may spend on retries and failover, counted from when it starts (see
    /// `RoutingTable.requestDeadline`).
    public let deadline: Duration

    /// What `planned`'s provider is asked.
    func providerRequest(for planned: PlannedCandidate) -> ProviderRequest {
        ProviderRequest(
            model: planned.candidate.model, completion: request, maxTokens: maxTokens,
            promptCaching: planned.promptCaching)
    }
}

/// One candidate of a plan with the settings its attempts run under.
public struct PlannedCandidate: Sendable {
    public let candidate: Candidate
    /// Retries of a retryable failure before moving to the next candidate (the provider's `max_retries`).
    public let maxRetries: Int
    /// True when the request set `cache` or the provider has `prompt_caching`.
    public let promptCaching: Bool
    let slot: ProviderSlot
}
