import SidecarProtocol
import SidecarProviders

/// The state of one request's walk down its failover chain: the attempts so far and what the next
/// step is after each one. `Registry.execute` drives it.
struct FailoverRun {
    /// What to do after an attempt.
    enum Step {
        case finish(RegistryOutcome)
        case retry(after: Duration)
        case nextCandidate
    }

    let requestID: String
    let clock: any RegistryClock
    let backoff: Backoff
    let start: Duration
    let deadline: Duration
    let onEvent: @Sendable (RegistryEvent) -> Void
    private(set) var attempts: [Attempt] = []
    /// Usage reported by failed attempts the run moved on from (`RegistryOutcome.failedAttemptUsage`).
    private var failedAttemptUsage: [AttemptUsage] = []
    private var lastFailure: SidecarError?
    private var lastTried: Candidate?
    private var earliestRetry: Duration?

    init(
        requestID: String, clock: any RegistryClock, backoff: Backoff, deadline: Duration,
        onEvent: @escaping @Sendable (RegistryEvent) -> Void
    ) {
        self.requestID = requestID
        self.clock = clock
        self.backoff = backoff
        self.onEvent = onEvent
        start = clock.now()
        self.deadline = start + deadline
    }

    /// A `timeout` outcome once the request's deadline has passed, else nil.
    func deadlinePassed() -> RegistryOutcome? {
        guard clock.now() >= deadline else { return nil }
        let seconds = Int((deadline - start).seconds)
        let error = SidecarError(
            .timeout, "the request's deadline of \(seconds) s ran out after \(attempts.count) attempts")
        return failed(error, usage: Usage(), ttftMs: nil)
    }

    /// A candidate whose breaker refused the attempt.
    mutating func skipped(_ candidate: Candidate, retryAt: Duration) {
        earliestRetry = min(earliestRetry ?? retryAt, retryAt)
        onEvent(.skipped(requestID: requestID, candidate, retryAt: clock.date(at: retryAt)))
    }

    /// A candidate whose model rules refuse a parameter of the request: recorded as a `bad_request` attempt
    /// that never reached the upstream, and the run moves on, since another model may take the parameter.
    mutating func refused(_ candidate: Candidate, _ failure: ProviderFailure) {
        let error = failure.sidecarError
        lastTried = candidate
        lastFailure = error
        attempts.append(Attempt(provider: candidate.provider, model: candidate.model, error: error.code, durationMs: 0))
        onEvent(.attemptFailed(requestID: requestID, candidate, error, retryIn: nil))
    }

    /// Records an attempt's result with the provider's breaker and decides the next step.
    mutating func settle(
        _ result: AttemptResult, of planned: PlannedCandidate, permit: CircuitBreaker.Permit, startedAt: Duration,
        retry: Int, otherCandidatesLeft: Bool
    ) -> Step {
        let now = clock.now()
        let candidate = planned.candidate
        let slot = planned.slot
        lastTried = candidate
        func record(_ error: ErrorCode?) {
            attempts.append(
                Attempt(
                    provider: candidate.provider, model: candidate.model, error: error,
                    durationMs: (now - startedAt).milliseconds))
        }
        switch result {
        case .success(let content, let stopReason, let usage, let ttftMs):
            slot.finish(permit, outcome: .success, now: now)
            record(nil)
            return .finish(
                RegistryOutcome(
                    ending: .answered(Answer(candidate: candidate, stopReason: stopReason, content: content)),
                    usage: usage, failedAttemptUsage: failedAttemptUsage, attempts: attempts, ttftMs: ttftMs,
                    latencyMs: (now - start).milliseconds))
        case .cancelled(let emitted, let usage, let ttftMs):
            slot.finish(permit, outcome: .uncounted(nil), now: now)
            record(.cancelled)
            let error = SidecarError(.cancelled, "cancelled by the client", partial: emitted)
            return .finish(failed(error, usage: usage, ttftMs: ttftMs))
        case .failure(let failure, let emitted, let usage, let ttftMs):
            let error = failure.sidecarError
            let counted = failure.countsAgainstBreaker
            // After the event below, so the log reads "failed", then "breaker opened".
            defer { slot.finish(permit, outcome: counted ? .counted(error) : .uncounted(error), now: now) }
            record(error.code)
            if emitted {
                let interrupted = SidecarError(
                    .upstreamInterrupted, "\(candidate) failed after part of the answer was sent: \(failure.message)",
                    partial: true)
                onEvent(.attemptFailed(requestID: requestID, candidate, interrupted, retryIn: nil))
                return .finish(failed(interrupted, usage: usage, ttftMs: ttftMs))
            }
            guard !failure.endsChain else { return .finish(failed(error, usage: usage, ttftMs: nil)) }
            lastFailure = error
            // The run moves on from this attempt: what it spent stays on the request's account.
            if usage.totalTokens > 0 || usage.problem != nil {
                failedAttemptUsage.append(AttemptUsage(candidate: candidate, usage: usage))
            }
            let delay = retryDelay(
                failure, retry: retry, maxRetries: planned.maxRetries,
                otherCandidatesLeft: otherCandidatesLeft)
            onEvent(.attemptFailed(requestID: requestID, candidate, error, retryIn: delay))
            return delay.map { .retry(after: $0) } ?? .nextCandidate
        }
    }

    /// The wait before retrying a failure on the same candidate, or nil to move on: not retryable,
    /// retries used up, a retry-after beyond the backoff cap while another candidate is left, or a
    /// wait that would end past the deadline.
    private func retryDelay(_ failure: ProviderFailure, retry: Int, maxRetries: Int, otherCandidatesLeft: Bool)
        -> Duration?
    {
        guard failure.isRetryable, retry < maxRetries else { return nil }
        let delay: Duration
        if let retryAfterMs = failure.retryAfterMs {
            delay = .milliseconds(retryAfterMs)
            if delay > backoff.cap && otherCandidatesLeft { return nil }
        } else {
            var generator = SystemRandomNumberGenerator()
            delay = backoff.delay(retry: retry, using: &generator)
        }
        return clock.now() + delay < deadline ? delay : nil
    }

    /// The outcome when no candidate answered: cancelled, the last failure, or every breaker open.
    func chainEnded() -> RegistryOutcome {
        let error: SidecarError
        if Task.isCancelled {
            error = SidecarError(.cancelled, "cancelled by the client")
        } else if let lastFailure {
            let tried = attempts.map { "\($0.provider)/\($0.model): \($0.error?.rawValue ?? "ok")" }
            error = SidecarError(
                lastFailure.code,
                "every candidate failed (\(tried.joined(separator: ", "))); last error: \(lastFailure.message)",
                retryable: lastFailure.retryable, retryAfterMs: lastFailure.retryAfterMs)
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
        return failed(error, usage: Usage(), ttftMs: nil)
    }

    private func failed(_ error: SidecarError, usage: Usage, ttftMs: Int?) -> RegistryOutcome {
        RegistryOutcome(
            ending: .failed(error, lastTried: lastTried), usage: usage, failedAttemptUsage: failedAttemptUsage,
            attempts: attempts, ttftMs: ttftMs, latencyMs: (clock.now() - start).milliseconds)
    }
}
