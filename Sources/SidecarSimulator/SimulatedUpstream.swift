import Foundation

/// A fake Anthropic and OpenAI upstream speaking real HTTP/1.1 on 127.0.0.1, for the `demo` command, tests and
/// benchmarks.
///
/// Endpoints: `POST /v1/messages` (Anthropic: `x-api-key` and `anthropic-version: 2023-06-01` required),
/// `POST /v1/chat/completions` and `POST /chat/completions` (OpenAI: `Authorization: Bearer`),
/// `GET /v1/models` and `GET /models` (health checks, authenticated), and the control API under `/_sim/`.
/// Each completion plays a `Behaviour`: the next queued one for its endpoint, else the one its model name
/// selects (`Behaviour.forModel`). Every request is logged with its exact headers and body.
public final class SimulatedUpstream: Sendable {
    private let core: SimulatorCore
    private let tracker = ConnectionTracker()
    private let boundPort = Locked<UInt16>(0)

    /// - Parameters:
    ///   - anthropicKey: The only `x-api-key` accepted.
    ///   - openAIKey: The only bearer token accepted.
    ///   - pacingMilliseconds: Default delay between SSE events.
    public init(
        anthropicKey: String = "sk-ant-test-key", openAIKey: String = "sk-test-key",
        pacingMilliseconds: Double = 2
    ) {
        core = SimulatorCore(anthropicKey: anthropicKey, openAIKey: openAIKey, pacingMilliseconds: pacingMilliseconds)
    }

    deinit {
        tracker.stop()
    }

    /// Binds 127.0.0.1:`port` (0 picks a free port), starts serving, and returns the port.
    @discardableResult
    public func start(port: UInt16 = 0) throws -> UInt16 {
        let listener = try ListeningSocket(port: port)
        guard tracker.start(listener, core: core) else {
            close(listener.fd)
            throw SimulatorError(description: "the simulated upstream was already started")
        }
        boundPort.withLock { $0 = listener.port }
        return listener.port
    }

    /// The bound port (0 before `start`).
    public var port: UInt16 { boundPort.withLock { $0 } }

    /// `http://127.0.0.1:PORT`, the base URL for both providers (OpenAI clients append `/v1` or not: both
    /// `/v1/chat/completions` and `/chat/completions` are served).
    public var baseURL: URL {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "127.0.0.1"
        components.port = Int(port)
        return components.url ?? URL(fileURLWithPath: "/")
    }

    /// Stops accepting and closes every open connection (clients see a reset or end of stream).
    public func stop() {
        tracker.stop()
    }

    /// Delay between SSE events for behaviours that set no pacing of their own.
    public var defaultPacingMilliseconds: Double {
        get { core.defaultPacingMilliseconds }
        set { core.defaultPacingMilliseconds = newValue }
    }

    /// Queues `behaviour` for the next `count` requests to `endpoints` (by default the completion endpoints of
    /// both APIs, so health checks do not consume it). Queued behaviours are taken FIFO, before the model-name
    /// rules; a request that fails authentication consumes none.
    public func enqueue(
        _ behaviour: Behaviour, count: Int = 1,
        for endpoints: Set<Endpoint> = [.messages, .chatCompletions]
    ) {
        core.queue.enqueue(behaviour, count: count, endpoints: endpoints)
    }

    /// Every request received since the start or the last `reset`, in arrival order (control API excluded).
    public func requests() -> [RecordedRequest] {
        core.log.entries
    }

    /// Clears the request log and the behaviour queue.
    public func reset() {
        core.queue.reset()
        core.log.reset()
    }

    /// Every change to the log from now on: a new request, then its final outcome.
    public func changes() -> AsyncStream<RecordedRequest> {
        core.log.changes()
    }

    /// Waits until `predicate` holds for the log. Returns false if `timeout` passes first: the timeout is a
    /// safety net for a broken test, not a measurement.
    public func waitUntil(
        timeout: Duration = .seconds(30),
        _ predicate: @escaping @Sendable ([RecordedRequest]) -> Bool
    ) async -> Bool {
        await core.log.wait(timeout: timeout, until: predicate)
    }

    /// Waits until at least `count` logged requests were abandoned by their client mid-response.
    public func waitForDisconnect(count: Int = 1, timeout: Duration = .seconds(30)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.filter(\.clientDisconnected).count >= count }
    }

    /// Waits until at least `count` requests have been logged.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.count >= count }
    }

    /// Waits until at least `count` requests have a final outcome (completed, aborted or disconnected).
    public func waitForFinished(count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.filter { $0.outcome != .inProgress }.count >= count }
    }
}
