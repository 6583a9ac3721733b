import SidecarProtocol
import SidecarTestSupport
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "oa", kind: "openai", secret: Secret("sk-test-key"))

private func fold(_ data: [String], end: Bool = true) -> ([StreamEvent], ProviderFailure?) {
    var folder = OpenAIStreamFolder(errors: errors)
    var out: [StreamEvent] = []
    do {
        for d in data { out += try folder.fold(event: nil, data: d) }
        if end { out += try folder.end() }
        return (out, nil)
    } catch {
        return (out, error as? ProviderFailure)
    }
}

private func chunk(_ delta: String, finish: String? = nil) -> String {
    let reason = finish.map { "\"\($0)\"" } ?? "null"
    return
        #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(reason)}],"usage":null}"#
}
private let usageChunk =
    #"{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":64}}}"#

@Suite struct OpenAIStreamFolderTests {
    /// Text deltas, then the usage chunk (input = prompt - cached), then one stop at [DONE].
    @Test func foldsTextAndNormalizesUsage() {
        let (events, error) = fold([
            chunk(#"{"role":"assistant","content":""}"#), chunk(#"{"content":"Hi"}"#),
            chunk(#"{"content":" there"}"#), chunk("{}", finish: "stop"), usageChunk, "[DONE]",
        ])
        #expect(error == nil)
        #expect(
            events == [
                .delta(.text("Hi")), .delta(.text(" there")),
                .usage(Usage(inputTokens: 36, outputTokens: 20, cacheReadTokens: 64)), .stop(.endTurn),
            ])
    }

    /// The role-only first chunk yields nothing: no event before content.
    @Test func roleChunkYieldsNothing() {
        let (events, _) = fold([chunk(#"{"role":"assistant","content":""}"#)], end: false)
        #expect(events.isEmpty)
    }

    /// Tool calls by index: id and name first, arguments in fragments, two calls after text.
    @Test func foldsToolCalls() {
        let (events, error) = fold([
            chunk(#"{"content":"Checking."}"#),
            chunk(
                #"{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}"#
            ),
            chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"#),
            chunk(
                #"{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}"#
            ),
            chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"#),
            chunk("{}", finish: "tool_calls"), "[DONE]",
        ])
        #expect(error == nil)
        let deltas = events.compactMap { if case .delta(let d) = $0 { d } else { nil } }
        #expect(
            deltas == [
                .text("Checking."), .toolUse(index: 1, toolUseID: "call_a", name: "get_weather"),
                .toolInput(index: 1, partialJSON: #"{"city":"#),
                .toolUse(index: 2, toolUseID: "call_b", name: "get_time"),
                .toolInput(index: 2, partialJSON: "{}"), .toolInput(index: 1, partialJSON: #""Paris"}"#),
            ])
        #expect(events.last == .stop(.toolUse))
    }

    /// Arguments that arrive before the name are held until the call can start.
    @Test func holdsArgumentsUntilNameKnown() {
        let (events, _) = fold([
            chunk(#"{"tool_calls":[{"index":0,"id":"call_x","function":{"arguments":"{\"a\""}}]}"#),
            chunk(#"{"tool_calls":[{"index":0,"function":{"name":"f","arguments":":1}"}}]}"#),
            chunk("{}", finish: "tool_calls"), "[DONE]",
        ])
        let deltas = events.compactMap { if case .delta(let d) = $0 { d } else { nil } }
        #expect(
            deltas == [
                .toolUse(index: 0, toolUseID: "call_x", name: "f"), .toolInput(index: 0, partialJSON: #"{"a":1}"#),
            ])
    }

    /// A compatible server that sends no usage: usage is marked not reported.
    @Test func noUsageIsUnreported() {
        let (events, _) = fold([chunk(#"{"content":"x"}"#), chunk("{}", finish: "stop"), "[DONE]"])
        #expect(events == [.delta(.text("x")), .usage(.unreported), .stop(.endTurn)])
    }

    /// finish_reason mapping, content_filter included; a reason without a mapping passes under its own name.
    @Test(arguments: [
        ("stop", StopReason.endTurn), ("length", .maxTokens), ("tool_calls", .toolUse),
        ("function_call", .toolUse), ("content_filter", .contentFilter), ("other", StopReason(rawValue: "other")),
    ])
    func mapsFinishReasons(raw: String, expected: StopReason) {
        let (events, _) = fold([chunk(#"{"content":"x"}"#), chunk("{}", finish: raw), "[DONE]"])
        #expect(events.stops == [expected])
    }

    /// A body ending after finish_reason without [DONE] is accepted; one ending before it is cut short.
    @Test func endWithoutDone() {
        let (events, error) = fold([chunk(#"{"content":"x"}"#), chunk("{}", finish: "length")])
        #expect(error == nil)
        #expect(events.last == .stop(.maxTokens))
        let (_, cut) = fold([chunk(#"{"content":"x"}"#)])
        #expect(cut?.failureClass == .transient)
    }

    /// An error object inside the stream whose type says nothing (`requests`) is classified by its code.
    @Test func errorChunk() {
        let (_, error) = fold([
            #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#
        ])
        #expect(error?.failureClass == .rateLimited)
        #expect(error?.message.contains("Rate limit reached") == true)
    }

    /// Groq's answer to a tool call that fails validation (transcript o15; hand-written in its shape): the
    /// unknown code `tool_use_failed` does not hide the type, so it is a bad request and is not retried.
    @Test func errorTypeWinsOverUnknownCode() throws {
        let stream = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-oss","choices":[{"index":0,"delta":{"reasoning":"Calling it."},"finish_reason":null}]}

            event: error
            data: {"error":{"message":"Tool call validation failed: missing properties: 'name'","type":"invalid_request_error","code":"tool_use_failed","status_code":400}}

            """
        let (events, error) = fold(parseTestSSE(stream).map(\.data), end: false)
        #expect(events.isEmpty)
        let failure = try #require(error)
        #expect(failure.failureClass == .callerFault && failure.code == .badRequest && !failure.isRetryable)
        #expect(
            failure.message
                == #"openai provider "oa": invalid_request_error, code tool_use_failed: Tool call validation failed: missing properties: 'name'"#
        )
    }
}
