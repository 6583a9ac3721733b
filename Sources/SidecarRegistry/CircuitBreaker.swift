/// The breaker's tuning: `circuit_breaker` in the config.
public struct BreakerSettings: Sendable, Equatable {
    /// Consecutive counted failures that open a closed breaker.
    public var failureThreshold: Int
    /// How long a breaker stays open the first time; doubles on each failed probe up to `maxOpen`.
    public var openDuration: Duration
    public var maxOpen: Duration

    public init(failureThreshold: Int = 5, openDuration: Duration = .seconds(30), maxOpen: Duration = .seconds(300)) {
        self.failureThreshold = max(1, failureThreshold)
        self.openDuration = max(.zero, openDuration)
        self.maxOpen = maxOpen
    }
}

/// One provider's circuit breaker, as a pure state machine: callers pass the time in and keep it under
/// their own lock.
///
/// closed -> open after `failureThreshold` consecutive failures -> half-open once the open time has
/// passed, admitting one probe at a time -> closed when the probe succeeds, or open again for twice as
/// long (capped) when it fails. Only failures the caller counts (retryable and credential errors) are
/// recorded; request errors and cancellations release a probe without a verdict. Any success closes the
/// breaker: it is evidence the provider answers, whether it came from a probe, a health check, or a
/// request admitted before the breaker opened.
public struct CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed
        case open(until: Duration)
        case halfOpen
    }

    /// Permission for one attempt.
    public enum Permit: Sendable, Equatable {
        case normal
        /// The half-open probe; its outcome decides the state. The number tells probes apart, so a stale
        /// probe (from before the breaker closed and reopened) cannot decide for a newer one.
        case probe(Int)
        /// Refused: the breaker is open (or its probe is in flight) until `retryAt`.
        case denied(retryAt: Duration)
    }

    public let settings: BreakerSettings
    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    /// The open time the next opening uses.
    public private(set) var currentOpenDuration: Duration
    private var probeInFlight = false
    private var probeNumber = 0

    public init(settings: BreakerSettings) {
        self.settings = settings
        currentOpenDuration = settings.openDuration
    }

    /// Asks to make an attempt at `now`.
    public mutating func acquire(now: Duration) -> Permit {
        switch state {
        case .closed:
            return .normal
        case .open(let until) where now < until:
            return .denied(retryAt: until)
        case .open, .halfOpen:
            if probeInFlight { return .denied(retryAt: now) }
            state = .halfOpen
            probeInFlight = true
            probeNumber += 1
            return .probe(probeNumber)
        }
    }

    /// The earliest time an attempt could be admitted, or nil when one would be admitted at `now`.
    public func retryAt(now: Duration) -> Duration? {
        switch state {
        case .closed: return nil
        case .open(let until): return now < until ? until : (probeInFlight ? now : nil)
        case .halfOpen: return probeInFlight ? now : nil
        }
    }

    /// A successful attempt, whatever its permit.
    public mutating func recordSuccess() {
        close()
    }

    /// A counted failure (retryable or credential) of an attempt made under `permit`.
    public mutating func recordFailure(_ permit: Permit, now: Duration) {
        consecutiveFailures += 1
        switch state {
        case .closed:
            if consecutiveFailures >= settings.failureThreshold { open(now: now) }
        case .halfOpen where permit == .probe(probeNumber):
            currentOpenDuration = min(currentOpenDuration * 2, settings.maxOpen)
            open(now: now)
        case .halfOpen, .open:
            break  // an attempt admitted before the breaker opened: the probe decides, not it
        }
    }

    /// An attempt that ended without a verdict on the provider (request error, client cancel).
    public mutating func release(_ permit: Permit) {
        if state == .halfOpen, permit == .probe(probeNumber) { probeInFlight = false }
    }

    /// A health check's result. A good check closes the breaker at once, even before the open time ran
    /// out; a failed one counts as a failure, and as the probe when a probe could be admitted now.
    public mutating func recordHealthCheck(ok: Bool, now: Duration) {
        if ok { return close() }
        let permit = acquire(now: now)
        if case .denied = permit {
            consecutiveFailures += 1
        } else {
            recordFailure(permit, now: now)
        }
    }

    private mutating func open(now: Duration) {
        state = .open(until: now + currentOpenDuration)
        probeInFlight = false
    }

    private mutating func close() {
        state = .closed
        consecutiveFailures = 0
        currentOpenDuration = settings.openDuration
        probeInFlight = false
    }
}
