import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import Synchronization
import Testing

/// A simulated provider that fails with 500 on two calls out of three: a primary that flaps.
final class FlappingProvider: Provider {
    let inner = simulated("primary")
    let calls = Atomic<Int>(0)
    var name: String { inner.name }
    var kind: String { inner.kind }

    private func pick(_ request: ProviderRequest) -> ProviderRequest {
        var request = request
        let call = calls.add(1, ordering: .relaxed).newValue
        request.model = call % 3 == 0 ? "sim-1" : "sim-fail-500"
        return request
    }

    func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error> { inner.stream(pick(request)) }
    func complete(_ request: ProviderRequest) async throws -> ProviderResponse {
        try await inner.complete(pick(request))
    }
    func healthCheck() async throws {}
}

@Suite struct ConcurrencyTests {
    /// 200 simultaneous requests while the primary flaps: each gets exactly one outcome, all succeed
    /// through failover, and the breaker and in-flight counts end consistent.
    @Test func twoHundredRequestsWhilePrimaryFlaps() async throws {
        let clock = ManualClock(autoAdvance: true)
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "primary", models: ["m"], maxRetries: 1),
                ProviderRoute(name: "backup", models: ["sim-1"], maxRetries: 1),
            ],
            agents: ["default": AgentPolicy(models: ["primary/m", "backup/sim-1"])],
            requestDeadline: .seconds(1_000_000))
        let registry = Registry(
            providers: [FlappingProvider(), simulated("backup")], routing: routing,
            breaker: BreakerSettings(failureThreshold: 3, openDuration: .seconds(1)), clock: clock)
        let plans = try (0..<200).map { try registry.plan(completion("request \($0)"), agent: "default") }
        let outcomes = await withTaskGroup(of: RegistryOutcome.self) { group in
            for plan in plans {
                group.addTask { await registry.execute(plan, emit: { _ in }) }
            }
            var outcomes: [RegistryOutcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == 200)
        let answered = outcomes.compactMap(\.answer)
        #expect(answered.count == 200)
        #expect(answered.contains { $0.candidate.provider == "primary" })
        #expect(answered.contains { $0.candidate.provider == "backup" })
        #expect(registry.inFlight(for: "primary") == 0 && registry.inFlight(for: "backup") == 0)
        var breaker = try #require(registry.breaker(for: "primary"))
        if breaker.state == .closed { #expect(breaker.consecutiveFailures < 3) }
        // No probe slot leaked: once the open time has passed, an attempt is admitted.
        if case .denied = breaker.acquire(now: clock.now() + .seconds(3600)) { Issue.record("probe slot leaked") }
        #expect(registry.breaker(for: "backup")?.state == .closed)
    }
}
