import SidecarHTTP
import SidecarProtocol
import SidecarSimGrammar

/// Plays a `SimulatedProvider` answer in the task that iterates its stream, one event per `next()`: the
/// outcome the model name asks for (`SimOutcome`), the pause between deltas.
///
/// A simulated failure is raised as what the real providers see (an HTTP status, a transport error, an
/// in-stream error event) and classified by the same `UpstreamError`, so retry, failover and the circuit
/// breaker treat it exactly as they would a real one. The in-process provider counts deltas where the HTTP
/// simulator counts SSE events (`sim-abort-N`, `sim-error-event-N`).
///
/// Playing in the consuming task rather than a producer task saves two thread hops per event (as
/// `SSEEventReader` does for the HTTP providers). When that task is cancelled the stream just ends, as a
/// cancelled `AsyncThrowingStream` does.
///
/// `@unchecked Sendable`: a provider stream has one consumer, which calls `next()` one call at a time.
final class SimulatedScript: @unchecked Sendable {
    private let events: [StreamEvent]
    private let delay: Duration
    private var outcome: SimOutcome
    private let errors: UpstreamError
    private var position = 0
    private var deltas = 0
    private var finished = false

    init(events: [StreamEvent], delay: Duration, outcome: SimOutcome, provider: String) {
        self.events = events
        self.delay = delay
        self.outcome = outcome
        self.errors = UpstreamError(provider: provider, kind: "simulated", secret: nil)
    }

    func next() async throws -> StreamEvent? {
        guard !finished else { return nil }
        do {
            return try await play()
        } catch {
            finished = true
            if Task.isCancelled || error is CancellationError { return nil }
            throw errors.map(error)
        }
    }

    private func play() async throws -> StreamEvent? {
        try await failOrHangBeforeAnyEvent()
        guard position < events.count else {
            finished = true
            return nil
        }
        let event = events[position]
        if case .delta = event {
            try interruptIfDue()
            if deltas > 0, delay > .zero { try await Task.sleep(for: delay) }
            try Task.checkCancellation()
            deltas += 1
        }
        position += 1
        return event
    }

    /// The outcomes that come before any event: a failure (which ends the stream) or the hang (once).
    private func failOrHangBeforeAnyEvent() async throws {
        switch outcome {
        case .fail(let status):
            throw errors.http(
                status: status, unreadBody: "simulated failure",
                retryAfterMs: outcome.retryAfterSeconds.map { $0 * 1000 })
        case .connectionRefused: throw HTTPTransportError.connectionFailed("simulated connection refused")
        case .timedOut: throw HTTPTransportError.timedOut("first byte")
        case .hang:
            outcome = .reply
            try await Task.sleep(for: .seconds(86_400))
        case .reply, .abort, .errorEvent: return
        }
    }

    /// `sim-abort-N` and `sim-error-event[-N]`: the failure due before the next delta, if any.
    private func interruptIfDue() throws {
        switch outcome {
        case .abort(let after) where deltas == after:
            throw HTTPTransportError.connectionLost("simulated connection loss after \(deltas) deltas")
        case .errorEvent(let after) where deltas == (after ?? 0):
            throw errors.event(type: "overloaded_error", message: "simulated overload after \(deltas) deltas")
        default: return
        }
    }
}
