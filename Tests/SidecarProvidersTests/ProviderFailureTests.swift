import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

@testable import SidecarProviders

/// Every upstream failure over real HTTP maps to the right class, for both provider kinds.
@Suite struct ProviderFailureTests {
    /// HTTP error statuses with the vendors' error bodies: class, status, retry-after, and a message that
    /// names the provider and upstream's message but never the key.
    @Test(
        arguments: Kind.allCases,
        [
            (400, FailureClass.callerFault), (401, .credential), (403, .credential), (404, .callerFault),
            (429, .rateLimited), (500, .transient), (503, .transient), (529, .overloaded),
        ])
    func mapsHTTPStatus(kind: Kind, status: (Int, FailureClass)) async throws {
        let h = try Harness()
        h.upstream.enqueue(.status(status.0, retryAfter: status.0 == 429 ? "2" : nil))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(events.isEmpty)
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.failureClass == status.1)
        #expect(failure.httpStatus == status.0)
        #expect(failure.retryAfterMs == (status.0 == 429 ? 2000 : nil))
        #expect(failure.message.hasPrefix("\(kind.rawValue) provider \"sim\": HTTP \(status.0)"))
        #expect(!failure.message.contains(kind.key))
    }

    /// A wrong key is rejected by the upstream's own check: a credential failure that does not echo the key.
    @Test(arguments: Kind.allCases)
    func wrongKeyIsCredentialFailure(kind: Kind) async throws {
        let h = try Harness()
        let (_, error) = await collect(try h.provider(kind, key: "sk-wrong-secret-value").stream(request()))
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.failureClass == .credential)
        #expect(failure.code == .upstreamError)
        #expect(!failure.message.contains("sk-wrong-secret-value"))
    }

    /// Retry-After as an HTTP date is carried as milliseconds.
    @Test func retryAfterHTTPDate() async throws {
        let h = try Harness()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        h.upstream.enqueue(.status(429, retryAfter: formatter.string(from: Date().addingTimeInterval(3600))))
        let (_, error) = await collect(try h.provider(.anthropic).stream(request()))
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.failureClass == .rateLimited)
        #expect((failure.retryAfterMs ?? 0) > 60_000)
    }

    /// An overloaded error event before any content: nothing was yielded, so the registry can fail over.
    @Test(arguments: Kind.allCases)
    func errorEventBeforeContent(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(.errorEvent(afterEvents: 1, type: "overloaded_error", reply: Reply(text: "never sent")))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(events.isEmpty)
        #expect((error as? ProviderFailure)?.failureClass == .overloaded)
    }

    /// An error event after content still throws ProviderFailure (the registry reports upstream_interrupted),
    /// after the content and the usage known so far were yielded.
    @Test(arguments: Kind.allCases)
    func errorEventAfterContent(kind: Kind) async throws {
        let h = try Harness()
        // Anthropic: message_start, content_block_start, ping, then text deltas; OpenAI: role chunk, then text.
        let prefix = kind == .anthropic ? 5 : 3
        h.upstream.enqueue(
            .errorEvent(
                afterEvents: prefix, type: "overloaded_error",
                reply: Reply(text: "one two three four five six seven eight", inputTokens: 12)))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(!events.text.isEmpty)
        #expect(events.stops.isEmpty)
        #expect((error as? ProviderFailure)?.failureClass == .overloaded)
        if kind == .anthropic { #expect(events.lastUsage?.inputTokens == 12) }
    }

    /// The connection closing mid-stream is a transient failure, not a normal end.
    @Test(arguments: Kind.allCases)
    func abortMidStream(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(
            .abortAfter(
                events: kind == .anthropic ? 5 : 3,
                reply: Reply(text: "one two three four five six seven eight")))
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        #expect(!events.text.isEmpty)
        #expect(events.stops.isEmpty)
        #expect((error as? ProviderFailure)?.failureClass == .transient)
    }

    /// An upstream that never answers runs into the first-byte timeout; the upstream sees the disconnect.
    /// (One second leaves a loaded machine time to deliver the request, so the upstream surely sees it.)
    @Test(arguments: Kind.allCases)
    func hangTimesOut(kind: Kind) async throws {
        let h = try Harness()
        h.upstream.enqueue(.hang)
        let provider = try h.provider(kind, timeouts: HTTPTimeouts(connect: .seconds(5), firstByte: .seconds(1)))
        let (events, error) = await collect(provider.stream(request()))
        #expect(events.isEmpty)
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.failureClass == .timeout, "\(failure.message)")
        #expect(failure.code == .timeout)
        #expect(await h.upstream.waitForDisconnect())
    }

    /// A stream that goes silent longer than the idle limit after content is a timeout, not a normal end.
    @Test(arguments: Kind.allCases)
    func idleGapTimesOut(kind: Kind) async throws {
        let h = try Harness()
        let long = Array(repeating: "word", count: 50).joined(separator: " ")
        h.upstream.enqueue(.reply(long).paced(milliseconds: 5_000))
        let timeouts = HTTPTimeouts(connect: .seconds(5), firstByte: .seconds(30), idle: .milliseconds(300))
        let (events, error) = await collect(try h.provider(kind, timeouts: timeouts).stream(request()))
        #expect(events.stops.isEmpty)
        #expect((error as? ProviderFailure)?.failureClass == .timeout)
    }

    /// Nothing listening on the port: a retryable transient failure.
    @Test(arguments: Kind.allCases)
    func connectionRefused(kind: Kind) async throws {
        let h = try Harness()
        let refusing = try RefusingPort()
        let provider = try h.provider(kind, root: refusing.baseURL)
        let (_, error) = await collect(provider.stream(request()))
        let failure = try #require(error as? ProviderFailure)
        #expect(failure.failureClass == .transient)
        #expect(failure.isRetryable)
    }

    /// Cancelling the consumer cancels the HTTP request: the upstream observes the client disconnect.
    @Test(arguments: Kind.allCases)
    func cancellationReachesUpstream(kind: Kind) async throws {
        let h = try Harness()
        let long = Array(repeating: "word", count: 400).joined(separator: " ")
        h.upstream.enqueue(.reply(long).paced(milliseconds: 20))
        let provider = try h.provider(kind)
        let (firstDelta, firstDeltaSeen) = AsyncStream<Void>.makeStream()
        let consumer = Task {
            var count = 0
            for try await event in provider.stream(request()) {
                if case .delta = event, count == 0 { firstDeltaSeen.yield() }
                count += 1
            }
            return count
        }
        for await _ in firstDelta { break }
        consumer.cancel()
        #expect(await h.upstream.waitForDisconnect())
        #expect(h.upstream.requests().first?.clientDisconnected == true)
    }
    /// A consumer that stops iterating (and drops the stream) also closes the upstream connection.
    @Test(arguments: Kind.allCases)
    func abandoningTheStreamReachesUpstream(kind: Kind) async throws {
        let h = try Harness()
        let long = Array(repeating: "word", count: 400).joined(separator: " ")
        h.upstream.enqueue(.reply(long).paced(milliseconds: 20))
        let provider = try h.provider(kind)
        var received = 0
        for try await event in provider.stream(request()) {
            if case .delta = event { received += 1 }
            if received == 2 { break }
        }
        #expect(received == 2)
        #expect(await h.upstream.waitForDisconnect())
    }
}
