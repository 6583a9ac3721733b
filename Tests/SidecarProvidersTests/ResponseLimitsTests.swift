import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import Testing

@testable import SidecarProviders

/// What an upstream can make a provider hold is capped, and answers a provider cannot read fail naming what
/// came; all of them are `upstream_error`, retried and failed over like other upstream faults.
@Suite struct ResponseLimitsTests {
    let harness: Harness

    init() throws { harness = try Harness() }

    func provider(_ kind: Kind, maxResponseBytes: Int = ProviderSettings.defaultMaxResponseBytes) throws -> any Provider
    {
        let server = harness.upstream.baseURL
        let settings = ProviderSettings(
            name: "sim", kind: kind.rawValue,
            baseURL: kind == .anthropic ? server : server.appendingPathComponent("v1"),
            apiKey: Secret(kind.key), models: [], maxResponseBytes: maxResponseBytes)
        return try ProviderCatalog.make(settings, transport: harness.transport)
    }

    /// The failure `behaviour` makes a streaming (or non-streaming) request end with.
    func failure(_ kind: Kind, _ behaviour: Behaviour, stream: Bool = true, maxResponseBytes: Int? = nil)
        async throws -> ProviderFailure
    {
        harness.upstream.enqueue(behaviour, for: [kind.endpoint])
        let provider = try provider(
            kind, maxResponseBytes: maxResponseBytes ?? ProviderSettings.defaultMaxResponseBytes)
        let error = await endingError(of: provider, stream: stream)
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.code == .upstreamError && failure.isRetryable, "\(failure.message)")
        return failure
    }

    /// `data:` lines that never end their event stop at the cap, named in the message.
    @Test(arguments: Kind.allCases) func eventDataIsCapped(kind: Kind) async throws {
        let line = "data: " + String(repeating: "x", count: 1000) + "\n"
        let body = String(repeating: line, count: 100)
        let failure = try await self.failure(
            kind, .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body),
            maxResponseBytes: 64 << 10)
        #expect(failure.message.contains("more than 65536 bytes of data (max_response_bytes)"), "\(failure.message)")
    }

    /// A non-streaming answer larger than the cap is refused, naming the cap.
    @Test(arguments: Kind.allCases) func answerBodyIsCapped(kind: Kind) async throws {
        let body = #"{"pad":""# + String(repeating: "x", count: 100_000) + #""}"#
        let failure = try await self.failure(
            kind, .raw(status: 200, headers: ["content-type": "application/json"], body: body), stream: false,
            maxResponseBytes: 64 << 10)
        #expect(failure.message.contains("larger than 65536 bytes (max_response_bytes)"), "\(failure.message)")
    }

    /// An error body over 1 MiB is not read; the status still classifies the failure.
    @Test func errorBodyIsCapped() async throws {
        let body = String(repeating: "e", count: (1 << 20) + 10)
        let failure = try await self.failure(.anthropic, .raw(status: 503, headers: [:], body: body))
        #expect(
            failure.message.contains("HTTP 503: error body larger than 1048576 bytes, not read"), "\(failure.message)")
    }

    /// A response head over 64 KiB is refused, naming the cap.
    @Test func responseHeadIsCapped() async throws {
        let filler = String(repeating: "h", count: 70_000)
        let failure = try await self.failure(.openai, .raw(status: 200, headers: ["x-filler": filler], body: ""))
        #expect(failure.message.contains("larger than 65536 bytes"), "\(failure.message)")
    }

    /// An HTML page answering a streaming request is named as such, whatever its parameters.
    @Test(arguments: Kind.allCases) func htmlIsNotAnEventStream(kind: Kind) async throws {
        let failure = try await self.failure(
            kind,
            .raw(status: 200, headers: ["content-type": "text/html; charset=utf-8"], body: "<html>Sign in</html>"))
        #expect(
            failure.message.contains(
                "upstream answered 200 with content-type text/html; charset=utf-8, not an event stream"),
            "\(failure.message)")
    }

    /// Without a content-type, an HTML body is still recognised.
    @Test func htmlWithoutContentType() async throws {
        let failure = try await self.failure(.anthropic, .raw(status: 200, headers: [:], body: "\n  <!DOCTYPE html>"))
        #expect(failure.message.contains("with no content-type and a body that looks like HTML"), "\(failure.message)")
    }

    /// A content-coded body is refused (streaming and not), naming the coding.
    @Test(arguments: [true, false]) func gzipIsNamed(stream: Bool) async throws {
        let headers = ["content-type": stream ? "text/event-stream" : "application/json", "content-encoding": "gzip"]
        let failure = try await self.failure(
            .openai, .raw(status: 200, headers: headers, body: "\u{1F}"), stream: stream)
        #expect(
            failure.message.contains(
                "upstream sent a gzip-encoded body (Content-Encoding: gzip), which the sidecar does not decode"),
            "\(failure.message)")
    }

    /// `identity`, a content-type with parameters in another case, and no content-type with real events all
    /// stream normally.
    @Test(arguments: [
        ["content-type": "Text/Event-Stream; charset=UTF-8", "content-encoding": "identity"], [:],
    ])
    func readableStreamsPass(headers: [String: String]) async throws {
        let body =
            "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        harness.upstream.enqueue(.raw(status: 200, headers: headers, body: body), for: [.chatCompletions])
        let (events, error) = await collect(try provider(.openai).stream(request()))
        #expect(error == nil)
        #expect(events.text == "hi" && events.stops == [.endTurn])
    }
}
