import Foundation
import Glibc
import SidecarHTTP
import SidecarSimulator
import SidecarTestSupport
import Testing

/// Which transport a behaviour test runs against.
enum TransportKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case urlSession
    case socket

    var testDescription: String { rawValue }
}

/// Behaviour every `HTTPTransport` must show (`URLSessionTransport` and `SocketHTTPTransport` alike), over
/// real HTTP against the simulated upstream on 127.0.0.1. Each test runs once per transport.
///
/// Ordering is asserted through events (the simulator's request log, pieces received), never through
/// elapsed time; the short timeouts below are configured limits under test, not timed assertions.
@Suite struct HTTPTransportBehaviourTests {
    let upstream = SimulatedUpstream()
    let urlSession = URLSessionTransport()
    let socketTransport = SocketHTTPTransport()

    func transport(_ kind: TransportKind) -> any HTTPTransport {
        switch kind {
        case .urlSession: urlSession
        case .socket: socketTransport
        }
    }

    init() throws {
        try upstream.start()
    }

    func messagesRequest(model: String = "sim", timeouts: HTTPTimeouts = HTTPTimeouts()) -> HTTPRequest {
        SidecarHTTPTests.messagesRequest(to: upstream, model: model, timeouts: timeouts)
    }

    /// The request goes out with its exact method, headers and body, and the response head and body come back.
    @Test(arguments: TransportKind.allCases) func sendsRequestAndReceivesStream(kind: TransportKind) async throws {
        upstream.enqueue(.reply("Hello there", inputTokens: 3, outputTokens: 2))
        let request = messagesRequest()
        let response = try await transport(kind).send(request)
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let events = try await readEvents(response.body)
        #expect(events.first?.event == "message_start")
        #expect(events.last?.event == "message_stop")
        #expect(streamedText(events) == "Hello there")
        let logged = try #require(upstream.requests().first)
        #expect(logged.method == "POST")
        #expect(logged.path == "/v1/messages")
        #expect(logged.body == request.body)
        #expect(logged.header("x-api-key") == "sk-ant-test-key")
        #expect(logged.header("anthropic-version") == "2023-06-01")
        #expect(logged.header("cookie") == nil)
    }

    /// Sequential requests reuse one keep-alive connection.
    @Test(arguments: TransportKind.allCases) func reusesTheConnection(kind: TransportKind) async throws {
        upstream.enqueue(.reply("one"), count: 3)
        for _ in 0..<3 {
            _ = try await transport(kind).send(messagesRequest()).body.collect()
        }
        #expect(Set(upstream.requests().map(\.connectionID)).count == 1)
    }

    /// Body pieces reach the reader while upstream is still sending, not when the response ends.
    @Test(arguments: TransportKind.allCases)
    func deliversPiecesBeforeTheResponseEnds(kind: TransportKind) async throws {
        upstream.enqueue(.reply(String(repeating: "word ", count: 40)).paced(milliseconds: 200))
        let response = try await transport(kind).send(messagesRequest())
        var iterator = response.body.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(!first.isEmpty)
        #expect(upstream.requests().first?.outcome == .inProgress)
    }

    /// Every wire shape (bytes split one by one, CR or CRLF endings, comments) parses to the same text.
    @Test(
        arguments: TransportKind.allCases,
        [
            Behaviour.reply("Grüß dich 👋 日本").split(.every(1)).lineEnding(.cr),
            Behaviour.reply("Grüß dich 👋 日本").split(.random(seed: 7)).lineEnding(.crlf).withComments(),
        ])
    func parsesEveryWireShape(kind: TransportKind, behaviour: Behaviour) async throws {
        upstream.enqueue(behaviour)
        let events = try await readEvents(try await transport(kind).send(messagesRequest()).body)
        #expect(streamedText(events) == "Grüß dich 👋 日本")
        #expect(events.last?.event == "message_stop")
    }

    /// 200 concurrent streams all complete (they would queue behind URLSession's default of 6 connections).
    @Test(arguments: TransportKind.allCases)
    func completesTwoHundredConcurrentStreams(kind: TransportKind) async throws {
        upstream.enqueue(.reply("ok"), count: 200)
        let client = transport(kind)
        let completed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let events = try await readEvents(try await client.send(messagesRequest()).body)
                    return events.last?.event == "message_stop" && streamedText(events) == "ok"
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(completed == 200)
    }

    /// Breaking out of the body loop closes the connection: upstream sees the client go.
    @Test(arguments: TransportKind.allCases) func endingIterationDisconnectsUpstream(kind: TransportKind) async throws {
        upstream.enqueue(.reply(String(repeating: "word ", count: 40)).paced(milliseconds: 200))
        let response = try await transport(kind).send(messagesRequest())
        for try await _ in response.body { break }
        #expect(await upstream.waitForDisconnect())
    }

    /// Cancelling the task that reads the body throws `cancelled` and disconnects upstream.
    @Test(arguments: TransportKind.allCases)
    func cancellingTheReaderDisconnectsUpstream(kind: TransportKind) async throws {
        upstream.enqueue(.reply(String(repeating: "word ", count: 40)).paced(milliseconds: 200))
        let response = try await transport(kind).send(messagesRequest())
        let (firstPiece, signal) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            for try await _ in response.body { signal.yield() }
        }
        for await _ in firstPiece { break }
        reader.cancel()
        await #expect(throws: HTTPTransportError.cancelled) { try await reader.value }
        #expect(await upstream.waitForDisconnect())
    }

    /// Cancelling the task waiting for the response head throws `cancelled` and disconnects upstream.
    @Test(arguments: TransportKind.allCases) func cancellingSendDisconnectsUpstream(kind: TransportKind) async throws {
        upstream.enqueue(.hang)
        let sender = Task { try await transport(kind).send(messagesRequest()) }
        #expect(await upstream.waitForRequests(count: 1))
        sender.cancel()
        await #expect(throws: HTTPTransportError.cancelled) { try await sender.value }
        #expect(await upstream.waitForDisconnect())
    }

    /// A response dropped without reading its body closes the connection.
    @Test(arguments: TransportKind.allCases) func droppingTheBodyDisconnectsUpstream(kind: TransportKind) async throws {
        upstream.enqueue(.reply(String(repeating: "word ", count: 40)).paced(milliseconds: 200))
        let status = try await transport(kind).send(messagesRequest()).status
        #expect(status == 200)
        #expect(await upstream.waitForDisconnect())
    }

    /// No response head within the first-byte limit: `timedOut("first byte")`, and the connection closes. (The
    /// limit leaves a loaded machine ample time to deliver the request, so the upstream surely sees it close.)
    @Test(arguments: TransportKind.allCases) func timesOutWaitingForTheFirstByte(kind: TransportKind) async throws {
        upstream.enqueue(.hang)
        let request = messagesRequest(timeouts: HTTPTimeouts(firstByte: .seconds(1)))
        await #expect(throws: HTTPTransportError.timedOut("first byte")) { try await transport(kind).send(request) }
        #expect(await upstream.waitForDisconnect())
    }

    /// A gap between body pieces longer than the idle limit: `timedOut("idle")` from the body.
    @Test(arguments: TransportKind.allCases) func timesOutOnAnIdleBody(kind: TransportKind) async throws {
        upstream.enqueue(.reply("one two three four").paced(milliseconds: 2_000))
        let request = messagesRequest(timeouts: HTTPTimeouts(idle: .milliseconds(300)))
        let response = try await transport(kind).send(request)
        await #expect(throws: HTTPTransportError.timedOut("idle")) { try await response.body.collect() }
    }

    /// The connect limit ends once the request is on the wire: a server that accepts but never answers
    /// hits the total limit, not the (shorter) connect limit.
    @Test(arguments: TransportKind.allCases)
    func connectLimitEndsWhenTheRequestIsSent(kind: TransportKind) async throws {
        upstream.enqueue(.hang)
        let request = messagesRequest(timeouts: HTTPTimeouts(connect: .seconds(1), total: .seconds(2)))
        await #expect(throws: HTTPTransportError.timedOut("total")) { try await transport(kind).send(request) }
    }

    /// The total limit covers the whole exchange.
    @Test(arguments: TransportKind.allCases) func timesOutOnTheTotalLimit(kind: TransportKind) async throws {
        upstream.enqueue(.hang)
        let request = messagesRequest(timeouts: HTTPTimeouts(firstByte: .seconds(60), total: .milliseconds(300)))
        await #expect(throws: HTTPTransportError.timedOut("total")) { try await transport(kind).send(request) }
    }

    /// Nothing listening: `connectionFailed`, with no header value in the message.
    @Test(arguments: TransportKind.allCases) func refusedConnectionFailsToConnect(kind: TransportKind) async throws {
        let refusing = try RefusingPort()
        var request = messagesRequest()
        request.url = refusing.baseURL.appendingPathComponent("v1/messages")
        do {
            _ = try await transport(kind).send(request)
            Issue.record("expected a connection failure")
        } catch let error as HTTPTransportError {
            guard case .connectionFailed(let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!message.contains("sk-ant-test-key"))
        }
    }

    /// Upstream closing mid-body: the pieces already sent arrive, then `connectionLost`.
    @Test(arguments: TransportKind.allCases) func abortMidStreamIsConnectionLost(kind: TransportKind) async throws {
        upstream.enqueue(.abortAfter(events: 2))
        let response = try await transport(kind).send(messagesRequest())
        var parser = SSEParser()
        var events: [SidecarHTTP.SSEEvent] = []
        do {
            for try await piece in response.body { events += try parser.feed(piece) }
            Issue.record("expected the body to fail")
        } catch let error as HTTPTransportError {
            guard case .connectionLost = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(events.count == 2)
    }

    /// An error status is a normal response: status, headers (Retry-After) and the error body.
    @Test(arguments: TransportKind.allCases) func errorStatusIsAResponse(kind: TransportKind) async throws {
        upstream.enqueue(.status(429, retryAfter: "7"))
        let response = try await transport(kind).send(messagesRequest())
        #expect(response.status == 429)
        #expect(RetryAfter.milliseconds(from: response.headers, now: Date()) == 7_000)
        let body = String(decoding: try await response.body.collect(), as: UTF8.self)
        #expect(body.contains("rate_limit_error"))
    }
}
