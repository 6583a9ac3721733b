import SidecarProtocol
import SidecarProviders

extension Registry {
    /// Runs the failover chain for one request and returns how it ended; never throws.
    ///
    /// Candidates are tried in order. A retryable failure is retried on the same candidate up to its
    /// `maxRetries`, after a backoff delay or the upstream's retry-after; a retry-after longer than the
    /// backoff cap moves on at once when another candidate is left, and no wait may run past the
    /// request's deadline. A credential failure moves to the next candidate; a request error ends the
    /// request. Once a delta has been emitted the request is never retried or failed over: a later
    /// failure ends it with `upstream_interrupted`, `partial: true`. Candidates whose breaker is open are
    /// skipped. Cancelling the calling task stops the chain at once with `cancelled`.
    ///
    /// - Parameter emit: called for each delta, in order, before the next is read, so a slow client
    ///   slows the upstream read (backpressure). Not called when `request.stream` is false (the
    ///   provider's non-streaming mode is used).
    public func complete(
        _ request: CompletionRequest, agent: String, emit: @Sendable (Delta) async -> Void
    ) async -> RegistryOutcome {
        let candidates: [Candidate]
        do {
            candidates = try resolve(agent: agent, model: request.model)
        } catch {
            return .failed(error, usage: Usage(), attempts: [], provider: nil, model: nil, ttftMs: nil)
        }
        let policy = resolver.routing.policy(for: agent)
        let maxTokens = request.maxTokens ?? policy.maxTokens ?? ProviderRequest.defaultMaxTokens
        var run = FailoverRun(
            requestID: request.id, clock: clock, backoff: backoff, deadline: resolver.routing.requestDeadline,
            onEvent: onEvent)

        chain: for (position, candidate) in candidates.enumerated() {
            guard let slot = slotsByName[candidate.provider] else { continue }
            let providerRequest = ProviderRequest(
                model: candidate.model, completion: request, maxTokens: maxTokens,
                promptCaching: request.cache || slot.route.promptCaching)
            var retry = 0
            while true {
                if Task.isCancelled { break chain }
                if let timedOut = run.deadlinePassed() { return timedOut }
                let permit = slot.begin(now: clock.now())
                if case .denied(let retryAt) = permit {
                    run.skipped(candidate, retryAt: retryAt)
                    continue chain
                }
                let attemptStart = clock.now()
                let result = await attempt(
                    slot, providerRequest, streaming: request.stream, start: run.start, emit: emit)
                let step = run.settle(
                    result, of: candidate, on: slot, permit: permit, startedAt: attemptStart, retry: retry,
                    otherCandidatesLeft: position < candidates.count - 1)
                switch step {
                case .finish(let outcome):
                    return outcome
                case .nextCandidate:
                    continue chain
                case .retry(let delay):
                    do { try await clock.sleep(for: delay) } catch { break chain }
                    retry += 1
                }
            }
        }
        return run.chainEnded()
    }
}
