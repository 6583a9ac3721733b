import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import SidecarSimulator
import Testing

/// Failover over real HTTP: an Anthropic-kind primary and an OpenAI-kind backup, both talking to one
/// `SimulatedUpstream` on 127.0.0.1, with the primary's failures scripted per request. Each test gets its
/// own upstream and transport (a new suite instance), so the tests may run in parallel.
@Suite final class HTTPFailoverTests {
    let upstream = SimulatedUpstream(pacingMilliseconds: 0)
    let transport = RoutingTransport()

    init() throws { try upstream.start() }
    deinit { upstream.stop() }

    /// `primaryFirstByte` is short only where a test wants the primary to time out; every other limit is
    /// generous, so a loaded machine cannot turn a slow answer into a spurious failover.
    func makeRegistry(
        primaryURL: URL? = nil, primaryFirstByte: Duration = .seconds(30), maxRetries: Int = 0,
        clock: ManualClock
    ) -> Registry {
        let timeouts = HTTPTimeouts(
            connect: .seconds(30), firstByte: .seconds(30), idle: .seconds(30),
            total: .seconds(60))
        var primaryTimeouts = timeouts
        primaryTimeouts.firstByte = primaryFirstByte
        let primary = AnthropicProvider(
            settings: ProviderSettings(
                name: "primary", kind: "anthropic", baseURL: primaryURL ?? upstream.baseURL,
                apiKey: Secret("sk-ant-test-key"), models: ["claude-sim"],
                timeouts: primaryTimeouts),
            transport: transport)
        let backup = OpenAIProvider(
            settings: ProviderSettings(
                name: "backup", kind: "openai", baseURL: upstream.baseURL,
                apiKey: Secret("sk-test-key"), models: ["gpt-sim"], timeouts: timeouts),
            transport: transport)
        let routing = RoutingTable(
            providers: [
                ProviderRoute(name: "primary", models: ["claude-sim"], maxRetries: maxRetries),
                ProviderRoute(name: "backup", models: ["gpt-sim"], maxRetries: 0),
            ],
            agents: ["default": AgentPolicy(models: ["claude-sim", "gpt-sim"])])
        return Registry(providers: [primary, backup], routing: routing, clock: clock)
    }

    /// 500, 529, 401 and a timeout on the primary fail over to the backup, which answers.
    @Test(arguments: [
        (Behaviour.status(500), ErrorCode.upstreamError), (.status(529), .overloaded),
        (.status(401), .upstreamError), (.hang, .timeout),
    ])
    func failsOverToBackup(behaviour: Behaviour, code: ErrorCode) async throws {
        upstream.enqueue(behaviour, for: [.messages])
        let firstByte: Duration = behaviour == .hang ? .milliseconds(300) : .seconds(30)
        let registry = makeRegistry(primaryFirstByte: firstByte, clock: ManualClock(autoAdvance: true))
        let log = DeltaLog()
        let outcome = try await registry.complete(completion(), agent: "default", emit: log.append)
        let answer = try #require(outcome.answer)
        #expect(answer.candidate.provider == "backup" && !log.text.isEmpty)
        #expect(outcome.attempts.map(\.error) == [code, nil])
    }

    /// A refused connection fails over too.
    @Test func connectionRefusedFailsOver() async throws {
        let closed = try #require(URL(string: "http://127.0.0.1:1"))
        let registry = makeRegistry(primaryURL: closed, clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.answer?.candidate.provider == "backup")
        #expect(outcome.attempts.first?.error == .upstreamError)
    }

    /// A 429 with retry-after is retried on the same provider after exactly that wait.
    @Test func rateLimitRetriesAfterRetryAfter() async throws {
        upstream.enqueue(.status(429, retryAfter: "2"), for: [.messages])
        let clock = ManualClock(autoAdvance: true)
        let registry = makeRegistry(maxRetries: 1, clock: clock)
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.answer?.candidate.provider == "primary")
        #expect(outcome.attempts.map(\.error) == [.rateLimited, nil])
        #expect(clock.slept == [.seconds(2)])
    }

    /// A 400 ends the request without trying the backup.
    @Test func badRequestDoesNotFailOver() async throws {
        upstream.enqueue(.status(400), for: [.messages])
        let registry = makeRegistry(clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.error?.code == .badRequest)
        #expect(outcome.attempts.count == 1)
    }

    /// A stream cut after content has reached the client is not failed over: upstream_interrupted, partial.
    @Test func cutAfterContentIsInterrupted() async throws {
        upstream.enqueue(
            .abortAfter(events: 5, reply: Reply(text: "one two three four five six seven eight")),
            for: [.messages])
        let registry = makeRegistry(clock: ManualClock(autoAdvance: true))
        let log = DeltaLog()
        let outcome = try await registry.complete(completion(), agent: "default", emit: log.append)
        let error = try #require(outcome.error)
        #expect(error.code == .upstreamInterrupted && error.partial)
        #expect(!log.all.isEmpty)
        #expect(outcome.attempts.map(\.provider) == ["primary"])
    }

    /// 200 simultaneous requests while the primary answers every call with 500: every request gets one
    /// answer, from the backup, and the primary's breaker ends open.
    @Test func concurrentRequestsWhilePrimaryFails() async throws {
        upstream.enqueue(.status(500), count: 400, for: [.messages])
        let registry = makeRegistry(maxRetries: 1, clock: ManualClock(autoAdvance: true))
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
        #expect(outcomes.compactMap(\.answer).count == 200)
        #expect(outcomes.allSatisfy { $0.answer?.candidate.provider == "backup" })
        #expect(registry.breaker(for: "primary")?.state != .closed)
        #expect(registry.inFlight(for: "primary") == 0 && registry.inFlight(for: "backup") == 0)
    }
}
