import SidecarProtocol
import SidecarRegistry
import Testing

@Suite struct HealthCheckTests {
    /// A good health check closes an open breaker before its open time ran out, and shows in status.
    @Test func healthCheckClosesAnOpenBreaker() async throws {
        let clock = ManualClock(autoAdvance: true)
        let registry = makeRegistry(
            primary: ["sim-fail-500"], maxRetries: 0,
            breaker: BreakerSettings(failureThreshold: 1, openDuration: .seconds(30)), clock: clock)
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(registry.breaker(for: "primary")?.state == .open(until: .seconds(30)))
        await registry.checkHealth()
        #expect(registry.breaker(for: "primary")?.state == .closed)
        let status = try #require(registry.statusReport().arrayValue?.first)
        #expect(status["state"] == "closed")
        #expect(status["health_check"]?["ok"] == true)
        #expect(status["last_error"]?["code"] == "upstream_error")
    }

    /// The background task checks every interval on the injected clock, and stops when asked.
    @Test func backgroundChecksRunEveryInterval() async throws {
        let clock = ManualClock()
        let routing = RoutingTable(
            providers: [
                ProviderRoute(
                    name: "primary", models: ["sim-fail-500"], maxRetries: 0,
                    healthCheckInterval: .seconds(15))
            ],
            agents: ["default": AgentPolicy(models: ["sim-fail-500"])])
        let registry = Registry(
            providers: [simulated("primary")], routing: routing,
            breaker: BreakerSettings(failureThreshold: 1), clock: clock)
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(registry.breaker(for: "primary")?.state != .closed)
        registry.startHealthChecks()
        await clock.waitForSleepers(1)
        #expect(clock.slept == [.seconds(15)])
        clock.advance(by: .seconds(15))
        await clock.waitForSleepers(1)
        #expect(clock.slept.count == 2)
        #expect(registry.breaker(for: "primary")?.state == .closed)
        registry.stopHealthChecks()
        while clock.sleeperCount > 0 { await Task.yield() }
    }

    /// Status reports kind, breaker state, failures, in-flight and the last error per provider.
    @Test func statusShowsWhatTheRegistryDecided() async throws {
        let registry = makeRegistry(
            primary: ["sim-fail-401"], maxRetries: 0,
            breaker: BreakerSettings(failureThreshold: 1, openDuration: .seconds(30)),
            clock: ManualClock(autoAdvance: true))
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        let providers = try #require(registry.statusReport().arrayValue)
        #expect(providers.map { $0["name"] } == ["primary", "backup"])
        #expect(providers[0]["kind"] == "simulated")
        #expect(providers[0]["state"] == "open")
        #expect(providers[0]["consecutive_failures"] == 1)
        #expect(providers[0]["in_flight"] == 0)
        #expect(providers[0]["last_error"]?["message"]?.stringValue?.contains("401") == true)
        #expect(providers[1]["state"] == "closed")
        #expect(providers[1]["last_success"]?.stringValue != nil)
    }
}
