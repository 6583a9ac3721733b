import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import Testing

@testable import SidecarProviders

/// The HTTP provider kinds; shared behaviours run against each with `@Test(arguments: Kind.allCases)`.
enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case anthropic, openai

    var testDescription: String { rawValue }
    var key: String { self == .anthropic ? "sk-ant-test-key" : "sk-test-key" }
    /// Where the sim logs this kind's completions.
    var endpoint: Endpoint { self == .anthropic ? .messages : .chatCompletions }
}

/// A simulated upstream on 127.0.0.1 and the transport the sidecar uses (`RoutingTransport`: its http:// URL goes
/// over `SocketHTTPTransport`), for one test.
struct Harness {
    let upstream: SimulatedUpstream
    let transport = RoutingTransport()

    init() throws {
        upstream = SimulatedUpstream()
        try upstream.start()
    }

    /// A provider of `kind` pointed at the simulator, following each kind's base_url convention.
    func provider(
        _ kind: Kind, key: String? = nil, promptCaching: Bool = false, root: URL? = nil,
        timeouts: HTTPTimeouts = HTTPTimeouts(
            connect: .seconds(10), firstByte: .seconds(30),
            idle: .seconds(30), total: .seconds(60))
    )
        throws -> any Provider
    {
        let server = root ?? upstream.baseURL
        let base = kind == .anthropic ? server : server.appendingPathComponent("v1")
        let settings = ProviderSettings(
            name: "sim", kind: kind.rawValue, baseURL: base,
            apiKey: Secret(key ?? kind.key), models: ["sim-model"], timeouts: timeouts,
            promptCaching: promptCaching)
        return try ProviderCatalog.make(settings, transport: transport)
    }

    /// The body of the last completion the simulator received, parsed.
    func lastBody() throws -> JSONValue {
        let last = try #require(upstream.requests().last)
        return try JSONValue.parse(last.body)
    }
}

func request(
    _ text: String = "Hello", model: String = "sim-model", system: String? = nil,
    messages: [Message]? = nil, stream: Bool = true, cache: Bool = false
) -> ProviderRequest {
    let completion = CompletionRequest(
        id: "t", system: system,
        messages: messages ?? [Message(role: .user, content: [.text(text)])],
        stream: stream, cache: cache)
    return ProviderRequest(model: model, completion: completion, maxTokens: 512, promptCaching: cache)
}

/// Every event of a stream and the error that ended it, if any.
func collect(_ stream: AsyncThrowingStream<StreamEvent, Error>) async -> (events: [StreamEvent], error: (any Error)?) {
    var events: [StreamEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, error)
    }
}

/// The error a request ends with, streamed or not; nil when it succeeded.
func endingError(of provider: any Provider, stream: Bool) async -> (any Error)? {
    if stream { return await collect(provider.stream(request())).error }
    do {
        _ = try await provider.complete(request(stream: false))
        return nil
    } catch {
        return error
    }
}

extension Array where Element == StreamEvent {
    var text: String {
        compactMap { if case .delta(.text(let t)) = $0 { t } else { nil } }.joined()
    }
    var deltas: [Delta] { compactMap { if case .delta(let d) = $0 { d } else { nil } } }
    var lastUsage: Usage? { compactMap { if case .usage(let u) = $0 { u } else { nil } }.last }
    var stops: [StopReason] { compactMap { if case .stop(let s) = $0 { s } else { nil } } }
}
