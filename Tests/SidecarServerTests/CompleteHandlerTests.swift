import Foundation
import SidecarConfig
import SidecarLedger
import SidecarProtocol
import SidecarTestSupport
import SidecarTransport
import Synchronization
import Testing

@testable import SidecarServer

/// Collects what a request streams, in order, as the client's connection would receive it.
final class CollectingSink: ChunkSink, @unchecked Sendable {
    private let messages = Mutex<[ServerMessage]>([])

    func stream(_ message: ServerMessage) async { messages.withLock { $0.append(message) } }

    var received: [ServerMessage] { messages.withLock { $0 } }
}

/// `CompleteHandler` in-process: the built-in simulated provider, a ledger in a temporary directory, and an
/// in-memory sink instead of a socket.
@Suite struct CompleteHandlerTests {
    let directory = TemporaryDirectory()
    let context: SidecarContext

    init() throws {
        let config = try ConfigLoader.parse(
            Array(
                """
                {"ledger": {"path": "\(directory.file("ledger.sqlite"))"},
                 "providers": [{"name": "sim", "kind": "simulated", "models": ["sim-echo", "sim-fail-400"]}],
                 "agents": {"default": {"models": ["sim/sim-echo"]},
                            "capped": {"models": ["sim/sim-echo"], "budget": {"requests_per_minute": 1}}},
                 "pricing": {"sim/sim-echo": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}}}
                """.utf8), environment: [:])
        context = try SidecarContext.make(config: config, environment: [:], logger: Logger(level: .error, fd: -1))
    }

    func run(_ request: CompletionRequest, origin: RequestOrigin = RequestOrigin(connection: 1))
        async -> (chunks: [ServerMessage], terminal: ServerMessage)
    {
        let sink = CollectingSink()
        let handler = CompleteHandler(context: context, origin: origin, sink: sink, shuttingDown: { false })
        let terminal = await handler.run(request)
        return (sink.received, terminal)
    }

    static func request(_ id: String, agent: String? = nil, model: String? = nil) -> CompletionRequest {
        CompletionRequest(id: id, agent: agent, model: model, messages: [Message(role: .user, content: [.text("Hi")])])
    }

    /// Chunks numbered from 0 reach the sink, the terminal is `done`, and its row is in the ledger first.
    @Test func streamsThenRecordsThenAnswers() async throws {
        let (chunks, terminal) = await run(Self.request("r1"))
        #expect(!chunks.isEmpty)
        for (index, chunk) in chunks.enumerated() {
            guard case .chunk(let id, let seq, _) = chunk else {
                Issue.record("not a chunk: \(chunk)")
                continue
            }
            #expect(id == "r1" && seq == index)
        }
        guard case .done(let id, let result) = terminal else {
            Issue.record("not done: \(terminal)")
            return
        }
        #expect(id == "r1" && result.provider == "sim" && result.usage.reported)
        let rows = try context.ledger.reader.rows(matching: UsageQuery())
        #expect(rows.map(\.requestID) == ["r1"])
        #expect(rows.first?.usage.outputTokens == result.usage.outputTokens)
    }

    /// On a bound listener, a request naming another agent is refused before anything runs.
    @Test func boundListenerRefusesAnotherAgent() async throws {
        let (chunks, terminal) = await run(
            Self.request("r2", agent: "capped"), origin: RequestOrigin(connection: 2, boundAgent: "default"))
        #expect(chunks.isEmpty)
        guard case .error(_, let error) = terminal else {
            Issue.record("not an error: \(terminal)")
            return
        }
        #expect(error.code == .forbidden)
        #expect(try context.ledger.reader.rows(matching: UsageQuery()).isEmpty)
    }

    /// The agent's rate limit admits one request a minute: the second is refused with `rate_limited`.
    @Test func budgetIsCheckedBeforeTheUpstream() async throws {
        _ = await run(Self.request("first", agent: "capped"))
        let (chunks, terminal) = await run(Self.request("second", agent: "capped"))
        #expect(chunks.isEmpty)
        guard case .error(_, let error) = terminal else {
            Issue.record("not an error: \(terminal)")
            return
        }
        #expect(error.code == .rateLimited)
    }

    /// The `done` reports the usage at the configured price, and its ledger row records the same cost.
    @Test func doneCarriesThePricedUsage() async throws {
        let (_, terminal) = await run(Self.request("priced"))
        guard case .done(_, let result) = terminal else {
            Issue.record("not done: \(terminal)")
            return
        }
        let usage = result.usage
        let priced =
            (Double(usage.inputTokens) * 3 + Double(usage.outputTokens) * 15 + Double(usage.cacheReadTokens) * 0.3
                + Double(usage.cacheWriteTokens) * 3.75) / 1_000_000
        #expect(usage.reported && usage.outputTokens > 0)
        let cost = try #require(result.costUSD)
        #expect(abs(cost - priced) < 1e-12)
        let rows = try context.ledger.reader.rows(matching: UsageQuery())
        #expect(rows.map(\.costUSD) == [cost])
    }

    /// A model the registry cannot plan for is refused before anything streams or is recorded.
    @Test func unplannableRequestIsRefused() async throws {
        let (chunks, terminal) = await run(Self.request("r3", model: "sim/no-such-model"))
        #expect(chunks.isEmpty)
        guard case .error(_, let error) = terminal else {
            Issue.record("not an error: \(terminal)")
            return
        }
        #expect(error.code == .unknownModel)
        #expect(try context.ledger.reader.rows(matching: UsageQuery()).isEmpty)
    }
}
