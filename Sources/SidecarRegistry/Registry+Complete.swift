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
    /// failure ends it with `upstream_interrupted`, `partial: true`. Cancelling the calling task stops
    /// the chain at once with `cancelled`.
    ///
    /// - Parameter emit: called for each delta, in order, before the next is read, so a slow client
    ///   slows the upstream read (backpressure). Not called when `request.stream` is false (the
    ///   provider's non-streaming mode is used).
    public func complete(
        _ request: CompletionRequest, agent: String,
        emit: @Sendable (Delta) async -> Void
    ) async -> RegistryOutcome {
        let start = clock.now()
        let deadline = start + resolver.routing.requestDeadline
        let candidates: [Candidate]
        do {
            candidates = try resolve(agent: agent, model: request.model)
        } catch {
            return .failed(error, usage: Usage(), attempts: [], provider: nil, model: nil, ttftMs: nil)
        }
        let policy = resolver.routing.policy(for: agent)
        let maxTokens = request.maxTokens ?? policy.maxTokens ?? ProviderRequest.defaultMaxTokens
        var attempts: [Attempt] = []
        var lastFailure: SidecarError?
        var lastTried: Candidate?
        var earliestRetry: Duration?

        chain: for (position, candidate) in candidates.enumerated() {
            guard let slot = slotsByName[candidate.provider] else { continue }
            let providerRequest = ProviderRequest(
                model: candidate.model, completion: request, maxTokens: maxTokens,
                promptCaching: request.cache || slot.route.promptCaching)
            var retry = 0
            while true {
                if Task.isCancelled { break chain }
                if clock.now() >= deadline {
                    let error = SidecarError(
                        .timeout,
                        "the request's deadline of \(Int(resolver.routing.requestDeadline.seconds)) s "
                            + "ran out after \(attempts.count) attempts")
                    return .failed(
                        error, usage: Usage(), attempts: attempts, provider: lastTried?.provider,
                        model: lastTried?.model, ttftMs: nil)
                }
                let permit = slot.begin(now: clock.now())
                if case .denied(let retryAt) = permit {
                    earliestRetry = min(earliestRetry ?? retryAt, retryAt)
                    continue chain
                }
                lastTried = candidate
                let attemptStart = clock.now()
                let result = await attempt(slot, providerRequest, streaming: request.stream, start: start, emit: emit)
                let now = clock.now()
                let durationMs = (now - attemptStart).milliseconds
                switch result {
                case .success(let content, let stopReason, let usage, let ttftMs):
                    slot.finish(permit, outcome: .success, now: now)
                    attempts.append(
                        Attempt(
                            provider: candidate.provider, model: candidate.model, error: nil,
                            durationMs: durationMs))
                    return .done(
                        CompletionResult(
                            provider: candidate.provider, model: candidate.model, stopReason: stopReason,
                            content: content,
                            usage: usage, costUSD: nil, attempts: attempts, ttftMs: ttftMs,
                            latencyMs: (now - start).milliseconds))
                case .cancelled(let emitted, let usage, let ttftMs):
                    slot.finish(permit, outcome: .uncounted(nil), now: now)
                    attempts.append(
                        Attempt(
                            provider: candidate.provider, model: candidate.model, error: .cancelled,
                            durationMs: durationMs))
                    return .failed(
                        SidecarError(.cancelled, "cancelled by the client", partial: emitted), usage: usage,
                        attempts: attempts, provider: candidate.provider, model: candidate.model,
                        ttftMs: ttftMs)
                case .failure(let failure, let emitted, let usage, let ttftMs):
                    let error = failure.sidecarError
                    let counted = failure.failureClass != .callerFault
                    slot.finish(permit, outcome: counted ? .counted(error) : .uncounted(error), now: now)
                    attempts.append(
                        Attempt(
                            provider: candidate.provider, model: candidate.model, error: error.code,
                            durationMs: durationMs))
                    if emitted {
                        let interrupted = SidecarError(
                            .upstreamInterrupted,
                            "\(candidate) failed after part of the answer was sent: \(failure.message)",
                            partial: true)
                        return .failed(
                            interrupted, usage: usage, attempts: attempts, provider: candidate.provider,
                            model: candidate.model, ttftMs: ttftMs)
                    }
                    if !counted {
                        return .failed(
                            error, usage: usage, attempts: attempts, provider: candidate.provider,
                            model: candidate.model, ttftMs: nil)
                    }
                    lastFailure = error
                    guard failure.isRetryable, retry < slot.route.maxRetries,
                        let delay = retryDelay(
                            failure, retry: retry, otherCandidatesLeft: position < candidates.count - 1),
                        clock.now() + delay < deadline
                    else { continue chain }
                    do { try await clock.sleep(for: delay) } catch { break chain }
                    retry += 1
                }
            }
        }
        return chainEnded(
            attempts: attempts, lastFailure: lastFailure, lastTried: lastTried, earliestRetry: earliestRetry)
    }

    /// The outcome when no candidate answered: cancelled, every breaker open, or the last failure.
    private func chainEnded(
        attempts: [Attempt], lastFailure: SidecarError?, lastTried: Candidate?,
        earliestRetry: Duration?
    ) -> RegistryOutcome {
        let error: SidecarError
        if Task.isCancelled {
            error = SidecarError(.cancelled, "cancelled by the client")
        } else if let lastFailure {
            let tried = attempts.map { "\($0.provider)/\($0.model): \($0.error?.rawValue ?? "ok")" }
            error = SidecarError(
                lastFailure.code,
                "every candidate failed (\(tried.joined(separator: ", "))); last error: "
                    + lastFailure.message, retryable: lastFailure.retryable,
                retryAfterMs: lastFailure.retryAfterMs)
        } else if let earliestRetry {
            let wait = max(earliestRetry - clock.now(), .zero)
            let at = clock.date(at: earliestRetry).ISO8601Format()
            let seconds = Int(wait.seconds.rounded(.up))
            error = SidecarError(
                .noProviderAvailable,
                "every candidate's circuit breaker is open; earliest retry at \(at) (in \(seconds) s)",
                retryAfterMs: wait.milliseconds)
        } else {
            error = SidecarError(.noProviderAvailable, "no configured provider serves this model")
        }
        return .failed(
            error, usage: Usage(), attempts: attempts, provider: lastTried?.provider, model: lastTried?.model,
            ttftMs: nil)
    }

    /// The wait before retry `retry`, or nil to move on to the next candidate instead.
    private func retryDelay(_ failure: ProviderFailure, retry: Int, otherCandidatesLeft: Bool) -> Duration? {
        guard let retryAfterMs = failure.retryAfterMs else {
            var generator = SystemRandomNumberGenerator()
            return backoff.delay(retry: retry, using: &generator)
        }
        let retryAfter = Duration.milliseconds(retryAfterMs)
        return retryAfter > backoff.cap && otherCandidatesLeft ? nil : retryAfter
    }
}
