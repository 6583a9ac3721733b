import SidecarProtocol
import SidecarProviders

/// How one call to one candidate ended.
enum AttemptResult {
    case success(content: [ContentBlock], stopReason: StopReason, usage: Usage, ttftMs: Int?)
    /// `emitted`: deltas of this attempt already reached the caller, so it must not fail over.
    case failure(ProviderFailure, emitted: Bool, usage: Usage, ttftMs: Int?)
    case cancelled(emitted: Bool, usage: Usage, ttftMs: Int?)
}

extension Registry {
    /// Calls one provider once, forwarding deltas to `emit` as they arrive.
    func attempt(
        _ slot: ProviderSlot, _ request: ProviderRequest, streaming: Bool, start: Duration,
        emit: @Sendable (Delta) async -> Void
    ) async -> AttemptResult {
        let provider = slot.provider
        guard streaming else {
            do {
                let response = try await provider.complete(request)
                return .success(
                    content: response.content, stopReason: response.stopReason, usage: response.usage,
                    ttftMs: nil)
            } catch {
                return failed(error, provider: slot.route.name, emitted: false, usage: nil, ttftMs: nil)
            }
        }
        var content = ContentAccumulator()
        var usage: Usage?
        var stopReason: StopReason?
        var ttftMs: Int?
        do {
            for try await event in provider.stream(request) {
                switch event {
                case .delta(let delta):
                    if ttftMs == nil {
                        let now = clock.now()
                        ttftMs = (now - start).milliseconds
                        slot.responding(now: now)
                    }
                    content.add(delta)
                    await emit(delta)
                case .usage(let reported):
                    usage = reported
                case .stop(let reason):
                    stopReason = reason
                }
            }
        } catch {
            return failed(error, provider: slot.route.name, emitted: ttftMs != nil, usage: usage, ttftMs: ttftMs)
        }
        if let stopReason {
            return .success(
                content: content.content, stopReason: stopReason, usage: usage ?? .unreported, ttftMs: ttftMs)
        }
        // A cancelled consumer sees the stream end early without an error.
        if Task.isCancelled {
            return .cancelled(emitted: ttftMs != nil, usage: usage ?? Usage(), ttftMs: ttftMs)
        }
        let failure = ProviderFailure(.transient, "\(slot.route.name): the stream ended before the model finished")
        return .failure(failure, emitted: ttftMs != nil, usage: usage ?? Usage(), ttftMs: ttftMs)
    }

    private func failed(_ error: any Error, provider: String, emitted: Bool, usage: Usage?, ttftMs: Int?)
        -> AttemptResult
    {
        // The failure's own usage is the folder's whole tally, which includes what was held back before content.
        let usage = (error as? ProviderFailure)?.usage ?? usage ?? (emitted ? .unreported : Usage())
        if Task.isCancelled || error is CancellationError {
            return .cancelled(emitted: emitted, usage: usage, ttftMs: ttftMs)
        }
        let failure =
            error as? ProviderFailure
            ?? ProviderFailure(.transient, "\(provider): unexpected error: \(String(describing: error))")
        return .failure(failure, emitted: emitted, usage: usage, ttftMs: ttftMs)
    }
}
