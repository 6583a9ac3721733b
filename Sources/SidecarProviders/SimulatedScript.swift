import SidecarProtocol

/// Plays a `SimulatedProvider` answer in the task that iterates its stream, one event per `next()`:
/// the failure the model name asks for, the pause between deltas, the simulated connection loss.
///
/// Playing in the consuming task rather than a producer task saves two thread hops per event (as
/// `SSEEventReader` does for the HTTP providers). When that task is cancelled the stream just ends, as a
/// cancelled `AsyncThrowingStream` does.
///
/// `@unchecked Sendable`: a provider stream has one consumer, which calls `next()` one call at a time.
final class SimulatedScript: @unchecked Sendable {
    private let events: [StreamEvent]
    private let delay: Duration
    private let abortAfter: Int?
    private var failure: ProviderFailure?
    private var hang: Bool
    private let provider: String
    private var position = 0
    private var deltas = 0
    private var finished = false

    init(events: [StreamEvent], delay: Duration, abortAfter: Int?, failure: ProviderFailure?, hang: Bool,
         provider: String) {
        self.events = events
        self.delay = delay
        self.abortAfter = abortAfter
        self.failure = failure
        self.hang = hang
        self.provider = provider
    }

    func next() async throws -> StreamEvent? {
        guard !finished else { return nil }
        do {
            return try await play()
        } catch {
            finished = true
            if Task.isCancelled || error is CancellationError { return nil }
            throw error
        }
    }

    private func play() async throws -> StreamEvent? {
        if let failure {
            self.failure = nil
            throw failure
        }
        if hang {
            hang = false
            try await Task.sleep(for: .seconds(86_400))
        }
        guard position < events.count else {
            finished = true
            return nil
        }
        let event = events[position]
        if case .delta = event {
            if deltas == abortAfter {
                throw ProviderFailure(.transient, "\(provider): simulated connection lost after \(deltas) deltas")
            }
            if deltas > 0, delay > .zero { try await Task.sleep(for: delay) }
            try Task.checkCancellation()
            deltas += 1
        }
        position += 1
        return event
    }
}
