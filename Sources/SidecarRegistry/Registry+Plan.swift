import SidecarProtocol
import SidecarProviders

extension Registry {
    /// Plans a request from `agent`: its candidates in order (resolved as `resolve(agent:model:)`
    /// describes), each with its provider's retries and prompt caching, the max tokens and the deadline.
    /// Throws `unknown_model` or `forbidden` when the requested model cannot be resolved.
    public func plan(_ request: CompletionRequest, agent: String) throws(SidecarError) -> RequestPlan {
        let candidates = try resolve(agent: agent, model: request.model)
        let routing = resolver.routing
        return RequestPlan(
            request: request,
            candidates: candidates.compactMap { candidate in
                slotsByName[candidate.provider].map { slot in
                    PlannedCandidate(
                        candidate: candidate, maxRetries: slot.route.maxRetries,
                        promptCaching: request.cache || slot.route.promptCaching, slot: slot)
                }
            },
            maxTokens: request.maxTokens ?? routing.policy(for: agent).maxTokens ?? ProviderRequest.defaultMaxTokens,
            deadline: routing.requestDeadline)
    }
}
