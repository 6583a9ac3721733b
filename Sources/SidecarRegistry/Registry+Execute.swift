import SidecarProtocol
import SidecarProviders

extension Registry {
    /// Runs `plan`'s failover chain and returns how it ended; never throws.
    ///
    /// Candidates are tried in order. A retryable failure is retried on the same candidate up to its
    /// `maxRetries`, after a backoff delay or the upstream's retry-after; a retry-after longer than the
    /// backoff cap moves on at once when another candidate is left, and no wait may run past the
    /// plan's deadline. A credential failure moves to the next candidate; so does an upstream's 400 refusing
    /// a model-specific parameter (`parameterRejected`, not counted against the breaker); any other request
    /// error ends the request. Each candidate gets the request as its provider's `parameterRules` adjust it for its model:
    /// dropped parameters are logged at debug; a refused one moves on to the next candidate without calling
    /// the upstream, and ends the request with `bad_request` only when no candidate is left. Once a delta has been emitted the request is never retried or failed over: a later
    /// failure ends it with `upstream_interrupted`, `partial: true`. Candidates whose breaker is open are
    /// skipped. Cancelling the calling task stops the chain at once with `cancelled`.
    ///
    /// - Parameter emit: called for each delta, in order, before the next is read, so a slow client
    ///   slows the upstream read (backpressure). Not called when the request's `stream` is false (the
    ///   provider's non-streaming mode is used).
    public func execute(_ plan: RequestPlan, emit: @Sendable (Delta) async -> Void) async -> RegistryOutcome {
        var run = FailoverRun(
            requestID: plan.request.id, clock: clock, backoff: backoff, deadline: plan.deadline, onEvent: onEvent)

        chain: for (position, planned) in plan.candidates.enumerated() {
            let slot = planned.slot
            let providerRequest: ProviderRequest
            do {
                let applied = try slot.provider.parameterRules.apply(
                    plan.providerRequest(for: planned), provider: slot.route.name)
                if !applied.dropped.isEmpty {
                    onEvent(
                        .parametersDropped(
                            requestID: plan.request.id, planned.candidate, applied.dropped.map(\.rawValue)))
                }
                providerRequest = applied.request
            } catch {
                run.refused(planned.candidate, error)
                continue chain
            }
            var retry = 0
            while true {
                if Task.isCancelled { break chain }
                if let timedOut = run.deadlinePassed() { return timedOut }
                let permit = slot.begin(now: clock.now())
                if case .denied(let retryAt) = permit {
                    run.skipped(planned.candidate, retryAt: retryAt)
                    continue chain
                }
                let attemptStart = clock.now()
                let result = await attempt(
                    slot, providerRequest, streaming: plan.request.stream, start: run.start, emit: emit)
                let step = run.settle(
                    result, of: planned, permit: permit, startedAt: attemptStart, retry: retry,
                    otherCandidatesLeft: position < plan.candidates.count - 1)
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
