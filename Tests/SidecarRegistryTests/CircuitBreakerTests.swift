import Testing

@testable import SidecarRegistry

@Suite struct CircuitBreakerTests {
    let settings = BreakerSettings(failureThreshold: 3, openDuration: .seconds(30))

    /// Fewer failures than the threshold leave it closed, and a success resets the count.
    @Test func staysClosedBelowThresholdAndSuccessResets() {
        var breaker = CircuitBreaker(settings: settings)
        breaker.recordFailure(.normal, now: .zero)
        breaker.recordFailure(.normal, now: .zero)
        #expect(breaker.state == .closed)
        breaker.recordSuccess()
        #expect(breaker.consecutiveFailures == 0)
        breaker.recordFailure(.normal, now: .zero)
        breaker.recordFailure(.normal, now: .zero)
        #expect(breaker.state == .closed)
    }

    /// The threshold-th consecutive failure opens it for open_seconds; attempts are denied until then.
    @Test func opensAtThresholdAndDeniesUntilOpenTimePassed() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .seconds(10)) }
        #expect(breaker.state == .open(until: .seconds(40)))
        #expect(breaker.acquire(now: .seconds(39)) == .denied(retryAt: .seconds(40)))
        #expect(breaker.retryAt(now: .seconds(39)) == .seconds(40))
    }

    /// A fractional open time is kept as it is (`circuit_breaker.open_seconds: 0.5`): denied just before half a
    /// second, probed at it.
    @Test func halfASecondOpenTimeIsKept() {
        var breaker = CircuitBreaker(settings: BreakerSettings(failureThreshold: 1, openDuration: .milliseconds(500)))
        breaker.recordFailure(.normal, now: .zero)
        #expect(breaker.state == .open(until: .milliseconds(500)))
        #expect(breaker.acquire(now: .milliseconds(499)) == .denied(retryAt: .milliseconds(500)))
        #expect(breaker.acquire(now: .milliseconds(500)) == .probe(1))
    }

    /// After the open time one probe is admitted and a second concurrent attempt is denied.
    @Test func halfOpenAdmitsOneProbeAtATime() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        let probe = breaker.acquire(now: .seconds(30))
        #expect(probe == .probe(1))
        #expect(breaker.state == .halfOpen)
        #expect(breaker.acquire(now: .seconds(31)) == .denied(retryAt: .seconds(31)))
        // A probe that ends without a verdict (request error, cancel) frees the slot for the next one.
        breaker.release(probe)
        #expect(breaker.acquire(now: .seconds(32)) == .probe(2))
    }

    /// A successful probe closes it and resets the open time.
    @Test func probeSuccessCloses() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        let probe = breaker.acquire(now: .seconds(30))
        breaker.recordFailure(probe, now: .seconds(30))
        let second = breaker.acquire(now: .seconds(90))
        breaker.recordSuccess()
        #expect(second == .probe(2))
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
        #expect(breaker.currentOpenDuration == .seconds(30))
    }

    /// Each failed probe reopens it with the open time doubled, capped at five minutes.
    @Test func failedProbesDoubleOpenTimeUpToCap() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        var now = Duration.zero
        var openTimes: [Duration] = []
        for _ in 0..<6 {
            guard case .open(let until) = breaker.state else {
                Issue.record("not open")
                return
            }
            now = until
            let probe = breaker.acquire(now: now)
            breaker.recordFailure(probe, now: now)
            guard case .open(let next) = breaker.state else {
                Issue.record("not reopened")
                return
            }
            openTimes.append(next - now)
        }
        #expect(openTimes == [60, 120, 240, 300, 300, 300].map { Duration.seconds($0) })
    }

    /// A failure of a request admitted before the breaker opened neither extends nor decides anything.
    @Test func staleFailureWhileHalfOpenDoesNotDecide() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        _ = breaker.acquire(now: .seconds(30))
        breaker.recordFailure(.normal, now: .seconds(30))
        #expect(breaker.state == .halfOpen)
    }

    /// A good health check closes an open breaker before its open time ran out; a failed one while
    /// half-open acts as the probe.
    @Test func healthChecksFeedTheBreaker() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        breaker.recordHealthCheck(ok: true, now: .seconds(5))
        #expect(breaker.state == .closed)
        for _ in 0..<3 { breaker.recordFailure(.normal, now: .zero) }
        breaker.recordHealthCheck(ok: false, now: .seconds(30))
        #expect(breaker.state == .open(until: .seconds(90)))
    }
}
