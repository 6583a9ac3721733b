import Foundation
import SidecarProtocol
import SidecarProviders
import Testing

@Suite struct SimulatedProviderTests {
    let provider = SimulatedProvider(
        settings: ProviderSettings(
            name: "sim", kind: "simulated", baseURL: URL(fileURLWithPath: "/"), apiKey: nil,
            models: ["sim-1"]),
        deltaDelay: .zero)

    func request(
        _ model: String, text: String = "What is the capital of France?", maxTokens: Int = 4096,
        tools: [Tool] = []
    ) -> ProviderRequest {
        let completion = CompletionRequest(
            id: "1", messages: [Message(role: .user, content: [.text(text)])],
            tools: tools)
        return ProviderRequest(model: model, completion: completion, maxTokens: maxTokens, promptCaching: false)
    }

    func events(_ request: ProviderRequest) async throws -> [StreamEvent] {
        var events: [StreamEvent] = []
        for try await event in provider.stream(request) { events.append(event) }
        return events
    }

    /// The reply quotes the last user message, is the same every time, and counts ~1 token per 4 chars.
    @Test func replyIsDeterministicWithRealisticUsage() async throws {
        let first = try await events(request("sim-1"))
        #expect(try await events(request("sim-1")) == first)
        let text = first.compactMap { if case .delta(.text(let t)) = $0 { t } else { nil } }.joined()
        #expect(text.contains("What is the capital of France?"))
        guard case .usage(let usage)? = first.dropLast().last, case .stop(.endTurn)? = first.last else {
            Issue.record("expected usage then stop at the end: \(first)")
            return
        }
        #expect(usage.outputTokens >= text.count / 5 && usage.outputTokens <= text.count / 3)
        #expect(usage.inputTokens >= 8)
    }

    /// max_tokens cuts the reply and stops with max_tokens.
    @Test func maxTokensStopsTheReply() async throws {
        let events = try await events(request("sim-1", maxTokens: 5))
        #expect(events.last == .stop(.maxTokens))
        let last = events.compactMap { if case .usage(let u) = $0 { u } else { nil } }.last
        #expect((last?.outputTokens ?? 0) <= 5)
    }

    /// Failure models throw the ProviderFailure an upstream with that status would produce.
    @Test(arguments: [
        ("sim-fail-500", FailureClass.transient), ("sim-fail-529", .overloaded),
        ("sim-fail-429", .rateLimited), ("sim-fail-401", .credential), ("sim-fail-400", .callerFault),
        ("sim-fail-timeout", .timeout),
    ])
    func failureModels(model: String, failureClass: FailureClass) async {
        await #expect(throws: ProviderFailure.self) { _ = try await events(request(model)) }
        do {
            _ = try await events(request(model))
        } catch let failure as ProviderFailure {
            #expect(failure.failureClass == failureClass)
            #expect(failure.failureClass != .rateLimited || failure.retryAfterMs == 1000)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// `sim-abort-3` sends three deltas, then fails.
    @Test func abortAfterThreeDeltas() async {
        var deltas = 0
        do {
            for try await event in provider.stream(request("sim-abort-3")) { if case .delta = event { deltas += 1 } }
            Issue.record("stream did not fail")
        } catch {
            #expect(deltas == 3)
        }
    }

    /// `sim-tools` calls the offered tool with arguments built from its schema.
    @Test func toolModelCallsTheTool() async throws {
        let tool = Tool(
            name: "lookup", description: "find",
            inputSchema: [
                "type": "object", "properties": ["q": ["type": "string"], "n": ["type": "integer"]],
            ])
        let response = try await provider.complete(request("sim-tools", text: "cats", tools: [tool]))
        #expect(response.stopReason == .toolUse)
        guard case .toolUse(_, let name, let input)? = response.content.last else {
            Issue.record("no tool call: \(response.content)")
            return
        }
        #expect(name == "lookup" && input == ["q": "cats", "n": 1])
    }

    /// `sim-hang` sends nothing and ends when its consumer is cancelled.
    @Test func hangEndsOnCancel() async {
        let task = Task { try await events(request("sim-hang")) }
        task.cancel()
        let result = await task.result
        if case .success(let events) = result { #expect(events.isEmpty) }
    }
}
