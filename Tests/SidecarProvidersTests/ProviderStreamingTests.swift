import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import Testing

@testable import SidecarProviders

/// Streams over real HTTP from the simulated upstream, run against both provider kinds.
@Suite struct ProviderStreamingTests {
    static let unicode = "Grüße, 世界! 👋🏽 Ça va? — ok"

    /// Text arrives intact with exact usage, the first event is content, and `.stop` comes once, last.
    @Test(arguments: Kind.allCases)
    func streamsText(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply(Self.unicode, inputTokens: 11, outputTokens: 7))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        #expect(events.text == Self.unicode)
        #expect(events.first.map { if case .delta = $0 { true } else { false } } == true)
        #expect(events.lastUsage == Self.usage(kind, inputTokens: 11, outputTokens: 7))
        #expect(events.stops == [.endTurn])
        #expect(events.last == .stop(.endTurn))
    }

    /// Split points (every byte, random), CR / CRLF line endings and comment lines decode to the same text.
    @Test(
        arguments: Kind.allCases,
        [
            Shape(split: .every(1)), Shape(split: .random(seed: 7)), Shape(lineEnding: .crlf),
            Shape(split: .every(1), lineEnding: .cr), Shape(split: .every(3), lineEnding: .crlf, comments: true),
        ])
    func wireShapesDecodeIdentically(kind: Kind, shape: Shape) async throws {
        let h = try Harness()
        h.upstream.enqueue(.shaped(.reply(Self.unicode, inputTokens: 3, outputTokens: 2), shape))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        #expect(events.text == Self.unicode)
        #expect(events.lastUsage == Self.usage(kind, inputTokens: 3, outputTokens: 2))
        #expect(events.stops == [.endTurn])
    }

    /// Thinking blocks, signature deltas, unknown event types and reasoning fields do not break the stream.
    @Test(arguments: Kind.allCases)
    func ignoresUnknownEvents(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply(Reply(text: "Visible answer.", unknownEvents: true)))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        #expect(events.text == "Visible answer.")
        #expect(events.stops == [.endTurn])
    }

    /// Tool use: text then a tool call at content position 1, its JSON arguments in fragments.
    @Test(arguments: Kind.allCases)
    func streamsToolUse(kind: Kind) async throws {
        let h = try Harness()
        let input = #"{"location":"Paris","unit":"celsius"}"#
        h.upstream.enqueue(.toolUse(name: "get_weather", inputJSON: input, id: "call_1", text: "Let me look."))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        let deltas = events.deltas
        #expect(events.text == "Let me look.")
        #expect(deltas.first.map { if case .text = $0 { true } else { false } } == true)
        #expect(deltas.contains(.toolUse(index: 1, toolUseID: "call_1", name: "get_weather")))
        let fragments = deltas.compactMap { if case .toolInput(1, let p) = $0 { p } else { nil } }
        #expect(fragments.count > 1)
        #expect(fragments.joined() == input)
        #expect(events.stops == [.toolUse])
    }

    /// Each finish reason maps to the unified stop reason (Anthropic `refusal` stays refusal, OpenAI
    /// `content_filter` stays content_filter).
    @Test(arguments: Kind.allCases, [Finish.maxTokens, .contentFilter, .stopSequence])
    func mapsFinishReasons(kind: Kind, finish: Finish) async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply(Reply(text: "abc", finish: finish)))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        let expected: StopReason
        switch finish {
        case .maxTokens: expected = .maxTokens
        case .contentFilter: expected = kind == .anthropic ? .refusal : .contentFilter
        default: expected = kind == .anthropic ? .stopSequence : .endTurn  // OpenAI reports a stop sequence as "stop"
        }
        #expect(events.stops == [expected])
    }

    /// The usage the simulated upstream reports: like OpenAI, its OpenAI wire always says `reasoning_tokens: 0`.
    private static func usage(_ kind: Kind, inputTokens: Int, outputTokens: Int) -> Usage {
        Usage(inputTokens: inputTokens, outputTokens: outputTokens, reasoningTokens: kind == .openai ? 0 : nil)
    }

    /// Cache tokens: Anthropic's counts map directly; OpenAI's input excludes the cached part of prompt_tokens.
    @Test(arguments: Kind.allCases)
    func normalizesCacheUsage(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(
            .reply(
                "cached", inputTokens: 36, outputTokens: 20, cacheReadTokens: 64,
                cacheWriteTokens: kind == .anthropic ? 300 : 0))
        let (events, _) = await collect(try h.provider(kind, promptCaching: true).stream(request()))
        var expected = Self.usage(kind, inputTokens: 36, outputTokens: 20)
        expected.cacheReadTokens = 64
        expected.cacheWriteTokens = kind == .anthropic ? 300 : 0
        #expect(events.lastUsage == expected)
    }

    /// A backend reporting usage only in message_delta still yields the exact totals.
    @Test func anthropicUsageOnlyInMessageDelta() async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply(Reply(text: "x y z", inputTokens: 9, outputTokens: 4, usage: .onlyInMessageDelta)))
        let (events, _) = await collect(try h.provider(.anthropic).stream(request()))
        #expect(events.lastUsage == Usage(inputTokens: 9, outputTokens: 4))
    }

    /// No usage from upstream: the final usage is marked not reported rather than silently zero.
    @Test(arguments: Kind.allCases)
    func missingUsageIsUnreported(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply(Reply(text: "no counts", usage: .none)))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(error == nil)
        #expect(events.lastUsage?.reported == false)
        #expect(events.stops == [.endTurn])
    }

    /// With prompt caching, cache_control lands on the system prompt and the last block of the conversation.
    @Test func anthropicCacheControlPlacement() async throws {
        let h = try Harness()
        h.upstream.enqueue(.reply("ok"))
        let messages = [
            Message(role: .user, content: [.text("First question")]),
            Message(role: .assistant, content: [.text("First answer")]),
            Message(role: .user, content: [.text("Context"), .text("Second question")]),
        ]
        _ = await collect(
            try h.provider(.anthropic, promptCaching: true).stream(
                request(system: "Long stable instructions", messages: messages)))
        let body = try h.lastBody()
        #expect(body["system"]?.arrayValue?.first?["cache_control"] == ["type": "ephemeral"])
        let sent = try #require(body["messages"]?.arrayValue)
        #expect(sent.last?["content"]?.arrayValue?.last?["cache_control"] == ["type": "ephemeral"])
        #expect(sent.last?["content"]?.arrayValue?.first?["cache_control"] == nil)
        #expect(sent.dropLast().allSatisfy { !String(decoding: $0.encoded(), as: UTF8.self).contains("cache_control") })
    }

    /// stream: false uses the non-streaming mode and returns the whole content, parsed tool input included.
    @Test(arguments: Kind.allCases)
    func completesWithoutStreaming(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(
            .toolUse(
                name: "get_weather", inputJSON: #"{"location":"Paris"}"#, id: "call_9",
                text: "Checking."))
        let response = try await h.provider(kind).complete(request(stream: false))
        #expect(
            response.content == [
                .text("Checking."),
                .toolUse(id: "call_9", name: "get_weather", input: ["location": "Paris"]),
            ])
        #expect(response.stopReason == .toolUse)
        #expect(response.usage.reported)
        #expect(try h.lastBody()["stream"] == false)
    }

    /// The health check is an authenticated GET of the models list.
    @Test(arguments: Kind.allCases)
    func healthCheckListsModels(kind: Kind) async throws {
        let h = try Harness()
        try await h.provider(kind).healthCheck()
        let logged = try #require(h.upstream.requests().last)
        #expect(logged.method == "GET" && logged.endpoint == .models)
        #expect(logged.path == "/v1/models")
        await #expect(throws: ProviderFailure.self) { try await h.provider(kind, key: "sk-wrong").healthCheck() }
    }
}
