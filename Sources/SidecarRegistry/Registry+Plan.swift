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
            maxTokens: Self.maxTokens(request, agentDefault: routing.policy(for: agent).maxTokens),
            deadline: routing.requestDeadline)
    }

    /// Room left for the answer when the limit is raised above a thinking budget.
    static let answerHeadroom = 1024

    /// The request's max tokens, else the agent's, else the default. With thinking enabled, Anthropic requires
    /// `max_tokens` > `budget_tokens` (and thinking counts against the output limit everywhere), so a limit not
    /// above the budget is raised to `budget_tokens + 1024` rather than refused; the reservation uses the raised one.
    static func maxTokens(_ request: CompletionRequest, agentDefault: Int?) -> Int {
        let limit = request.maxTokens ?? agentDefault ?? ProviderRequest.defaultMaxTokens
        guard let budget = request.thinking?.budgetTokens, limit <= budget else { return limit }
        return budget + answerHeadroom
    }
}
