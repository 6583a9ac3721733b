import Foundation
import SidecarProtocol
import SidecarProviders
import Synchronization

/// One provider and everything the registry tracks about it, behind one lock. All breaker decisions for
/// a provider happen under that lock, so hundreds of concurrent requests see one consistent state.
final class ProviderSlot: Sendable {
    let provider: any Provider
    let route: ProviderRoute
    private let state: Mutex<State>
    private let onEvent: @Sendable (RegistryEvent) -> Void

    struct State {
        var breaker: CircuitBreaker
        var inFlight = 0
        var lastError: (code: ErrorCode, message: String, at: Duration)?
        var lastSuccess: Duration?
        var lastHealthCheck: (ok: Bool, latency: Duration, at: Duration)?
    }

    init(
        provider: any Provider, route: ProviderRoute, breaker: BreakerSettings,
        onEvent: @escaping @Sendable (RegistryEvent) -> Void
    ) {
        self.provider = provider
        self.route = route
        self.onEvent = onEvent
        state = Mutex(State(breaker: CircuitBreaker(settings: breaker)))
    }

    /// Asks the breaker for an attempt; an admitted attempt counts as in flight until `finish`.
    func begin(now: Duration) -> CircuitBreaker.Permit {
        changingBreaker(now: now) { s in
            let permit = s.breaker.acquire(now: now)
            if case .denied = permit { return permit }
            s.inFlight += 1
            return permit
        }
    }

    /// Ends an attempt started with `begin`.
    func finish(_ permit: CircuitBreaker.Permit, outcome: AttemptOutcome, now: Duration) {
        changingBreaker(now: now) { s in
            s.inFlight -= 1
            switch outcome {
            case .success:
                s.breaker.recordSuccess()
                s.lastSuccess = now
            case .counted(let error):
                s.breaker.recordFailure(permit, now: now)
                s.lastError = (error.code, error.message, now)
            case .uncounted(let error):
                s.breaker.release(permit)
                if let error { s.lastError = (error.code, error.message, now) }
            }
        }
    }

    /// The attempt's first delta arrived: the provider answers, so a half-open breaker closes now rather
    /// than staying half-open (refusing everyone else) for as long as the probe's answer streams.
    func responding(now: Duration) {
        changingBreaker(now: now) { $0.breaker.recordSuccess() }
    }

    /// `counted` false: a failed check that says nothing about the provider's health (a request error).
    func recordHealthCheck(failure: SidecarError?, counted: Bool, latency: Duration, now: Duration) {
        if let failure { onEvent(.healthCheckFailed(provider: route.name, failure)) }
        changingBreaker(now: now) { s in
            if failure == nil || counted { s.breaker.recordHealthCheck(ok: failure == nil, now: now) }
            s.lastHealthCheck = (failure == nil, latency, now)
            if let failure { s.lastError = (failure.code, "health check: " + failure.message, now) }
        }
    }

    var breaker: CircuitBreaker { state.withLock { $0.breaker } }

    /// Runs `body` under the lock and reports a breaker state change, outside the lock.
    private func changingBreaker<Result>(now: Duration, _ body: (inout State) -> Result) -> Result {
        let (result, before, after) = state.withLock { s in
            let before = s.breaker.state
            let result = body(&s)
            return (result, before, s.breaker.state)
        }
        guard before != after else { return result }
        switch after {
        case .closed: onEvent(.breakerChanged(provider: route.name, state: "closed", openFor: nil))
        case .halfOpen: onEvent(.breakerChanged(provider: route.name, state: "half_open", openFor: nil))
        case .open(let until): onEvent(.breakerChanged(provider: route.name, state: "open", openFor: until - now))
        }
        return result
    }

    var inFlight: Int { state.withLock { $0.inFlight } }

    /// This provider's entry in the `status` report.
    func status(now: Duration, clock: any RegistryClock) -> JSONValue {
        let s = state.withLock { $0 }
        func time(_ instant: Duration?) -> JSONValue {
            instant.map { .string(clock.date(at: $0).ISO8601Format()) } ?? .null
        }
        var fields: [String: JSONValue] = [
            "name": .string(provider.name), "kind": .string(provider.kind),
            "consecutive_failures": JSONValue(s.breaker.consecutiveFailures), "in_flight": JSONValue(s.inFlight),
            "last_success": time(s.lastSuccess), "open_until": .null,
            "last_error": s.lastError.map {
                ["code": .string($0.code.rawValue), "message": .string($0.message), "at": time($0.at)]
            } ?? .null,
            "health_check": s.lastHealthCheck.map {
                ["ok": .bool($0.ok), "latency_ms": JSONValue($0.latency.milliseconds), "at": time($0.at)]
            } ?? .null,
        ]
        switch s.breaker.state {
        case .closed: fields["state"] = "closed"
        case .halfOpen: fields["state"] = "half_open"
        case .open(let until):
            fields["state"] = now < until ? "open" : "half_open"
            fields["open_until"] = time(until)
        }
        return .object(fields)
    }
}

/// How an attempt ended, as far as the breaker is concerned.
enum AttemptOutcome {
    case success
    /// Retryable and credential failures: count against the breaker.
    case counted(SidecarError)
    /// Request errors and cancellations: no verdict on the provider. nil for a client cancel.
    case uncounted(SidecarError?)
}
