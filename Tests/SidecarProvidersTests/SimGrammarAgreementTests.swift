import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarProviders
import Testing

/// Both simulated upstreams read one `sim-*` grammar (`SimModel`): for each name, the in-process `simulated`
/// provider and the HTTP simulator behind the real Anthropic and OpenAI providers end the same way, streamed
/// and not. (`sim-hang` is left out: in-process it waits for a cancel, which the HTTP providers turn into a
/// timeout; pacing and wire shaping change no ending, the parser tests cover them.) Serialized: fifty
/// simulators at once would crowd the timing-sensitive tests.
@Suite(.serialized) struct SimGrammarAgreementTests {
    /// A model name and the request it is tried with.
    struct Case: Sendable, CustomTestStringConvertible {
        var model: String
        var offersTool = false
        var afterToolResult = false

        var testDescription: String {
            model + (offersTool ? " offering a tool" : "") + (afterToolResult ? " after a tool result" : "")
        }
    }

    static let cases: [Case] = [
        Case(model: "sim-echo"), Case(model: "sim-fast"), Case(model: "sim-pace-5"), Case(model: "sim-slow-5"),
        Case(model: "sim-fail-500"), Case(model: "sim-fail-529"), Case(model: "sim-fail-429"),
        Case(model: "sim-fail-401"), Case(model: "sim-fail-400"), Case(model: "sim-fail-404"),
        Case(model: "sim-fail-503"), Case(model: "sim-fail-refused"), Case(model: "sim-fail-timeout"),
        Case(model: "sim-abort-3"), Case(model: "sim-error-event"), Case(model: "sim-tools"),
        Case(model: "sim-tools", offersTool: true), Case(model: "sim-tools", offersTool: true, afterToolResult: true),
        Case(model: "sim-tools+crlf+split-1", offersTool: true), Case(model: "sim-no-usage"),
        Case(model: "sim-usage-delta-only"), Case(model: "sim-cache"), Case(model: "sim-max-tokens"),
        Case(model: "sim-content-filter"), Case(model: "sim-thinking+comments+bom+cr"),
    ]

    /// What a caller can tell about how an answer ended; token counts aside, which each side derives from
    /// its own text.
    struct Ending: Equatable, CustomStringConvertible {
        var failure: FailureClass?
        var httpStatus: Int?
        var retryAfterMs: Int?
        var stopReason: StopReason?
        var toolCalls: [String] = []
        var usageReported = false
        var cacheReadTokens = 0
        var cacheWriteTokens = 0

        var description: String {
            "failure \(failure.map { "\($0)" } ?? "-") status \(httpStatus ?? 0) retry \(retryAfterMs ?? 0) stop "
                + "\(stopReason?.rawValue ?? "-") tools \(toolCalls) usage \(usageReported) "
                + "cache \(cacheReadTokens)/\(cacheWriteTokens)"
        }

        init(_ error: any Error) {
            let failure = error as? ProviderFailure
            self.failure = failure?.failureClass
            httpStatus = failure?.httpStatus
            retryAfterMs = failure?.retryAfterMs
        }

        init(_ response: ProviderResponse) {
            stopReason = response.stopReason
            toolCalls = response.content.compactMap { block in
                guard case .toolUse(_, let name, let input) = block else { return nil }
                return name + String(decoding: input.encoded(), as: UTF8.self)
            }
            usageReported = response.usage.reported
            cacheReadTokens = response.usage.cacheReadTokens
            cacheWriteTokens = response.usage.cacheWriteTokens
        }
    }

    @Test(arguments: cases, Kind.allCases)
    func bothSidesEndAlike(_ simCase: Case, _ kind: Kind) async throws {
        let harness = try Harness()
        defer { harness.upstream.stop() }
        harness.upstream.defaultPacingMilliseconds = 0
        // Short enough for `sim-fail-timeout` to end soon, only there: elsewhere a slow machine must not time out.
        let firstByte: Duration = simCase.model == "sim-fail-timeout" ? .milliseconds(500) : .seconds(30)
        let http = try harness.provider(
            kind,
            timeouts: HTTPTimeouts(
                connect: .seconds(10), firstByte: firstByte, idle: .seconds(30), total: .seconds(60)))
        let inProcess = SimulatedProvider(
            settings: ProviderSettings(
                name: "sim", kind: "simulated", baseURL: URL(fileURLWithPath: "/"), apiKey: nil, models: []),
            deltaDelay: .zero)
        for stream in [true, false] {
            let request = Self.request(simCase, stream: stream)
            var expected = await Self.ending(of: inProcess, request)
            // OpenAI has no field for tokens written to the cache.
            if kind == .openai { expected.cacheWriteTokens = 0 }
            // Anthropic has no content filter reason: the simulator spells it `refusal`, which stays itself.
            if kind == .anthropic, expected.stopReason == .contentFilter { expected.stopReason = .refusal }
            let actual = await Self.ending(of: http, request)
            #expect(actual == expected, "\(kind) \(stream ? "streamed" : "not streamed")")
        }
    }

    static func request(_ simCase: Case, stream: Bool) -> ProviderRequest {
        var messages = [Message(role: .user, content: [.text("cats")])]
        if simCase.afterToolResult {
            messages += [
                Message(role: .assistant, content: [.toolUse(id: "toolu_1", name: "lookup", input: ["q": "cats"])]),
                Message(
                    role: .user, content: [.toolResult(toolUseID: "toolu_1", content: [.text("meow")], isError: false)]),
            ]
        }
        let lookup = Tool(
            name: "lookup", description: "find",
            inputSchema: [
                "type": "object",
                "properties": ["q": ["type": "string"], "n": ["type": "integer"], "exact": ["type": "boolean"]],
            ])
        let completion = CompletionRequest(
            id: "t", messages: messages, tools: simCase.offersTool ? [lookup] : [], stream: stream)
        return ProviderRequest(model: simCase.model, completion: completion, maxTokens: 512, promptCaching: false)
    }

    /// The ending of `request` through `stream()` when it streams, else through `complete()`.
    static func ending(of provider: any Provider, _ request: ProviderRequest) async -> Ending {
        guard request.completion.stream else {
            do { return Ending(try await provider.complete(request)) } catch { return Ending(error) }
        }
        let (events, error) = await collect(provider.stream(request))
        if let error { return Ending(error) }
        return Ending(ProviderResponse(streamed: events))
    }
}

extension ProviderResponse {
    /// The response a stream of events amounts to: its tool calls with their input put together.
    init(streamed events: [StreamEvent]) {
        var calls: [(name: String, input: String)] = []
        for delta in events.deltas {
            switch delta {
            case .toolUse(_, _, let name): calls.append((name, ""))
            case .toolInput(_, let partial): calls[calls.count - 1].input += partial
            default: break
            }
        }
        let content = calls.map { call in
            ContentBlock.toolUse(
                id: "", name: call.name, input: (try? JSONValue.parse(Array(call.input.utf8))) ?? .null)
        }
        self.init(
            content: content, stopReason: events.stops.last ?? .endTurn, usage: events.lastUsage ?? .unreported)
    }
}
