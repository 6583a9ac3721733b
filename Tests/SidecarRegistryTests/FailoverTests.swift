import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import Synchronization
import Testing

@Suite struct FailoverTests {
    func run(
        primary: String, maxRetries: Int = 2, stream: Bool = true, clock: ManualClock = ManualClock(autoAdvance: true)
    )
        async throws -> (RegistryOutcome, DeltaLog)
    {
        let registry = makeRegistry(primary: [primary], maxRetries: maxRetries, clock: clock)
        let log = DeltaLog()
        let outcome = try await registry.complete(completion(stream: stream), agent: "default", emit: log.append)
        return (outcome, log)
    }

    /// A healthy first candidate answers: deltas stream, done repeats them, usage is counted.
    @Test func healthyPrimaryAnswers() async throws {
        let (outcome, log) = try await run(primary: "sim-1")
        let answer = try #require(outcome.answer)
        #expect(answer.candidate.provider == "primary" && answer.stopReason == .endTurn)
        #expect(answer.content == [.text(log.text)])
        #expect(log.text.contains("hello there"))
        #expect(outcome.usage.outputTokens > 0 && outcome.usage.inputTokens > 0)
        #expect(outcome.attempts.count == 1 && outcome.attempts[0].error == nil)
        #expect(outcome.ttftMs != nil)
    }

    /// 500, 529, refused connections and timeouts are retried max_retries times with backoff, then the
    /// next candidate answers.
    @Test(arguments: [
        ("sim-fail-500", ErrorCode.upstreamError), ("sim-fail-529", .overloaded),
        ("sim-fail-refused", .upstreamError), ("sim-fail-timeout", .timeout),
    ])
    func retryableFailuresRetryThenFailOver(model: String, code: ErrorCode) async throws {
        let clock = ManualClock(autoAdvance: true)
        let (outcome, _) = try await run(primary: model, clock: clock)
        let answer = try #require(outcome.answer)
        #expect(answer.candidate.provider == "backup")
        #expect(outcome.attempts.map(\.error) == [code, code, code, nil])
        #expect(clock.slept.count == 2)
        #expect(clock.slept[0] <= .milliseconds(250) && clock.slept[1] <= .milliseconds(500))
    }

    /// A 429 waits exactly the upstream's retry-after before retrying.
    @Test func rateLimitHonoursRetryAfter() async throws {
        let clock = ManualClock(autoAdvance: true)
        let (outcome, _) = try await run(primary: "sim-fail-429", maxRetries: 1, clock: clock)
        #expect(outcome.answer?.candidate.provider == "backup")
        #expect(outcome.attempts.map(\.error) == [.rateLimited, .rateLimited, nil])
        #expect(clock.slept == [.milliseconds(1000)])
    }

    /// A 401 skips to the next candidate at once, without retrying.
    @Test func credentialFailureSkipsWithoutRetry() async throws {
        let clock = ManualClock(autoAdvance: true)
        let (outcome, _) = try await run(primary: "sim-fail-401", clock: clock)
        #expect(outcome.answer?.candidate.provider == "backup")
        #expect(outcome.attempts.map(\.error) == [.upstreamError, nil])
        #expect(clock.slept.isEmpty)
    }

    /// A 400 ends the request at once: another provider would not fix a malformed request.
    @Test func requestErrorDoesNotFailOver() async throws {
        let (outcome, _) = try await run(primary: "sim-fail-400")
        #expect(outcome.error?.code == .badRequest)
        #expect(outcome.attempts.count == 1)
    }

    /// A stream that breaks after content never fails over: upstream_interrupted, partial, usage kept.
    @Test func noFailoverAfterFirstDelta() async throws {
        let (outcome, log) = try await run(primary: "sim-abort-3")
        let error = try #require(outcome.error)
        #expect(error.code == .upstreamInterrupted && error.partial)
        #expect(log.all.count == 3)
        #expect(outcome.attempts.count == 1)
        #expect(outcome.usage.outputTokens > 0)
    }

    /// `stream: false` uses the provider's non-streaming mode and emits nothing, with the same failover.
    @Test func nonStreamingEmitsNothing() async throws {
        let (outcome, log) = try await run(primary: "sim-fail-401", stream: false)
        let answer = try #require(outcome.answer)
        #expect(log.all.isEmpty)
        #expect(answer.candidate.provider == "backup" && !answer.content.isEmpty)
    }

    /// When every candidate fails, the last failure's code is returned with every attempt listed.
    @Test func allCandidatesFailing() async throws {
        let registry = makeRegistry(
            primary: ["sim-fail-401"], backup: ["sim-fail-529"], maxRetries: 1,
            clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.error?.code == .overloaded)
        #expect(outcome.attempts.map(\.error) == [.upstreamError, .overloaded, .overloaded])
    }

    /// Open breakers are skipped; when all are open the error is no_provider_available with a retry time.
    @Test func allBreakersOpenGivesNoProviderAvailable() async throws {
        let clock = ManualClock(autoAdvance: true)
        let registry = makeRegistry(
            primary: ["sim-fail-500"], backup: ["sim-fail-529"], maxRetries: 0,
            breaker: BreakerSettings(failureThreshold: 1, openDuration: .seconds(30)), clock: clock)
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        let error = try #require(outcome.error)
        #expect(error.code == .noProviderAvailable)
        #expect(error.message.contains("earliest retry"))
        #expect(error.retryAfterMs == 30_000)
        #expect(outcome.attempts.isEmpty)
    }

    /// A retry-after that does not fit in the remaining deadline is not waited for.
    @Test func deadlineBoundsRetries() async throws {
        let clock = ManualClock(autoAdvance: true)
        let routing = RoutingTable(
            providers: [ProviderRoute(name: "primary", models: ["sim-fail-429"], maxRetries: 5)],
            agents: ["default": AgentPolicy(models: ["sim-fail-429"])],
            requestDeadline: .milliseconds(2500))
        let registry = Registry(providers: [simulated("primary")], routing: routing, clock: clock)
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.error?.code == .rateLimited)
        #expect(clock.slept == [.seconds(1), .seconds(1)])
    }

    /// Cancelling the caller stops the chain at once: `cancelled`, and the next candidate is never tried.
    @Test func cancelStopsTheChain() async throws {
        let clock = ManualClock(autoAdvance: true)
        let registry = makeRegistry(primary: ["sim-hang"], clock: clock)
        let plan = try registry.plan(completion(), agent: "default")
        let task = Task { await registry.execute(plan, emit: { _ in }) }
        while registry.inFlight(for: "primary") == 0 { await Task.yield() }
        task.cancel()
        let outcome = await task.value
        #expect(outcome.error?.code == .cancelled)
        #expect(outcome.attempts.map(\.provider) == ["primary"])
        #expect(registry.inFlight(for: "primary") == 0)
        #expect(registry.breaker(for: "primary")?.consecutiveFailures == 0)
    }

    /// A half-open probe that starts streaming closes the breaker at its first delta, so other requests
    /// are not refused while its answer streams.
    @Test func streamingProbeClosesBreakerAtFirstDelta() async throws {
        let clock = ManualClock(autoAdvance: true)
        let routing = RoutingTable(
            providers: [ProviderRoute(name: "primary", models: ["sim-fail-500", "sim-1"], maxRetries: 0)],
            agents: ["default": AgentPolicy(models: [])])
        let registry = Registry(
            providers: [simulated("primary")], routing: routing,
            breaker: BreakerSettings(failureThreshold: 1, openDuration: .seconds(30)), clock: clock)
        _ = try await registry.complete(completion(model: "primary/sim-fail-500"), agent: "default", emit: { _ in })
        #expect(registry.breaker(for: "primary")?.state == .open(until: .seconds(30)))
        clock.advance(by: .seconds(30))
        let statesSeen = Mutex<[CircuitBreaker.State?]>([])
        let outcome = try await registry.complete(completion(model: "primary/sim-1"), agent: "default") { _ in
            statesSeen.withLock { $0.append(registry.breaker(for: "primary")?.state) }
        }
        #expect(outcome.answer != nil)
        #expect(statesSeen.withLock { $0.first } == .closed)
    }

    /// Prompt caching is asked for when the request sets `cache` or the provider enables it.
    @Test(arguments: [(false, false, false), (true, false, true), (false, true, true)])
    func promptCachingFromRequestOrProvider(requestCache: Bool, providerCaching: Bool, expectCached: Bool) async throws
    {
        let routing = RoutingTable(
            providers: [ProviderRoute(name: "primary", models: ["sim-1"], promptCaching: providerCaching)],
            agents: ["default": AgentPolicy(models: ["sim-1"])])
        let registry = Registry(providers: [simulated("primary")], routing: routing, clock: ManualClock())
        let request = CompletionRequest(
            id: "c", system: String(repeating: "You are a careful assistant. ", count: 20),
            messages: [Message(role: .user, content: [.text("hi")])], cache: requestCache)
        let outcome = try await registry.complete(request, agent: "default", emit: { _ in })
        #expect((outcome.usage.cacheReadTokens > 0) == expectCached)
    }

    /// max_tokens comes from the request, else the agent; hitting it stops with max_tokens.
    @Test func maxTokensIsHonoured() async throws {
        let agents = ["default": AgentPolicy(models: ["primary/sim-1"], maxTokens: 3)]
        let registry = makeRegistry(primary: ["sim-1"], agents: agents, clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        let answer = try #require(outcome.answer)
        #expect(answer.stopReason == .maxTokens && outcome.usage.outputTokens <= 3)
        let longer = try await registry.complete(completion(maxTokens: 4096), agent: "default", emit: { _ in })
        #expect(longer.answer?.stopReason == .endTurn)
    }

    /// Tool use streams a tool call whose arguments reach done.content parsed.
    @Test func toolUseIsAssembled() async throws {
        let tool = Tool(
            name: "search", description: nil,
            inputSchema: ["type": "object", "properties": ["query": ["type": "string"]]])
        let registry = makeRegistry(primary: ["sim-tools"], clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(
            completion("find cats", tools: [tool]), agent: "default", emit: { _ in })
        let answer = try #require(outcome.answer)
        #expect(answer.stopReason == .toolUse)
        guard case .toolUse(_, let name, let input)? = answer.content.last else {
            Issue.record("no tool call in \(answer.content)")
            return
        }
        #expect(name == "search" && input == ["query": "find cats"])
    }
}

@Suite struct RegistryEventTests {
    /// Failures, breaker openings and skips are reported as log events, warnings where they matter.
    @Test func decisionsAreReported() async throws {
        let events = Mutex<[RegistryEvent]>([])
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "primary", models: ["sim-fail-500"], maxRetries: 0),
                ProviderRoute(name: "backup", models: ["sim-1"]),
            ],
            agents: ["default": AgentPolicy(models: ["sim-fail-500", "sim-1"])])
        let registry = Registry(
            providers: [simulated("primary"), simulated("backup")], routing: routing,
            breaker: BreakerSettings(failureThreshold: 1, openDuration: .seconds(30)),
            clock: ManualClock(autoAdvance: true),
            onEvent: { event in events.withLock { $0.append(event) } })
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        _ = try await registry.complete(completion(), agent: "default", emit: { _ in })
        let messages = events.withLock { $0.map(\.message) }
        #expect(messages.count == 3)
        #expect(messages[0].hasPrefix("primary/sim-fail-500 failed (upstream_error"))
        #expect(messages[1] == "circuit breaker of primary is now open for 30 s")
        #expect(messages[2].hasPrefix("primary/sim-fail-500 skipped: circuit breaker open until"))
        #expect(events.withLock { $0.map(\.isWarning) } == [false, true, false])
        #expect(events.withLock { $0.map(\.requestID) } == ["r1", nil, "r1"])
    }
}
