import Foundation
import SidecarCLI
import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import SidecarTransport
import Synchronization
import Testing

/// A payload handler that knows three requests, so the transport can be tested with no application:
/// `{"type":"ping","id":…}` answered inline, `{"type":"stream","id":…,"n":N}` streaming N chunks of 1 KB in a
/// request under backpressure, and `{"type":"hang","id":…}` waiting until cancelled.
final class ScriptHandler: PayloadHandler, @unchecked Sendable {
    let produced = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)

    func handle(_ payload: [UInt8], on connection: Connection) {
        guard let message = try? JSONValue.parse(payload), let id = message["id"]?.stringValue else { return }
        switch message["type"]?.stringValue {
        case "ping":
            connection.send(.pong(id: id))
        case "stream":
            let count = message["n"]?.intValue ?? 0
            let started = connection.startRequest(id: id) { [self] in
                for seq in 0..<count {
                    await connection.sendApplyingBackpressure(
                        .chunk(id: id, seq: seq, delta: .text(String(repeating: "x", count: 1000))))
                    produced.add(1, ordering: .relaxed)
                }
                return .pong(id: id)
            }
            if started == .duplicateID { connection.send(.error(id: id, SidecarError(.duplicateID, "in flight"))) }
        case "hang":
            _ = connection.startRequest(id: id) { [self] in
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                cancelled.add(1, ordering: .relaxed)
                return .error(id: id, SidecarError(.cancelled, "cancelled"))
            }
        default:
            break
        }
    }
}

/// The transport in-process, over real Unix sockets: framing in both wire modes, backpressure, duplicate ids,
/// and end-of-file cancelling a connection's requests.
@Suite struct ServerTransportTests {
    let directory = TemporaryDirectory()
    let handler = ScriptHandler()
    let server: Server
    var path: String { directory.file("transport.sock") }

    init() throws {
        server = Server(
            listeners: [ListenerSpec(path: directory.file("transport.sock"))],
            limits: ServerLimits(outputBuffer: 16 << 10, grace: .milliseconds(200)),
            logger: Logger(level: .error, fd: -1), handler: handler)
        try server.start()
    }

    @Test(arguments: [WireMode.framed, .lines]) func answersInBothWireModes(mode: WireMode) async throws {
        let reply = try await blocking { [path] in
            try SidecarClient(path: path, mode: mode).request(["type": "ping", "id": "p"])
        }
        #expect(reply["type"] == "pong" && reply["id"] == "p")
        await server.shutdown()
    }

    /// A client that does not read holds its stream at the output limit (16 KiB, so about 16 chunks of 1 KB
    /// beyond what the socket buffers); once it reads, every chunk arrives in order.
    @Test func streamsPauseForAClientThatDoesNotRead() async throws {
        let handler = self.handler
        let (whileNotReading, count, inOrder, terminal) = try await blocking { [path] in
            let client = try SidecarClient(path: path)
            try client.send(["type": "stream", "id": "s", "n": 5_000])
            usleep(300_000)
            let whileNotReading = handler.produced.load(ordering: .relaxed)
            let (chunks, terminal) = try client.collect("s")
            let inOrder = chunks.enumerated().allSatisfy { $0.element["seq"]?.intValue == $0.offset }
            return (whileNotReading, chunks.count, inOrder, terminal)
        }
        #expect(whileNotReading < 5_000)
        #expect(count == 5_000 && inOrder)
        #expect(terminal["type"] == "pong")
        await server.shutdown()
    }

    /// A second request with an id still in flight on the same connection is refused.
    @Test func refusesADuplicateIDInFlight() async throws {
        let reply = try await blocking { [path] in
            let client = try SidecarClient(path: path)
            try client.send(["type": "hang", "id": "h"])
            try client.send(["type": "stream", "id": "h", "n": 1])
            return try client.receive()
        }
        #expect(reply?["type"] == "error" && reply?["error"]?["code"] == "duplicate_id")
        await server.shutdown()
    }

    /// End-of-file cancels the connection's requests and releases the connection.
    @Test func endOfFileCancelsRequests() async throws {
        try await blocking { [path] in
            let client = try SidecarClient(path: path)
            try client.send(["type": "hang", "id": "h1"])
            try client.send(["type": "hang", "id": "h2"])
            _ = try client.request(["type": "ping", "id": "sync"])
        }
        let handler = self.handler
        let server = self.server
        #expect(
            try await blocking {
                eventually { handler.cancelled.load(ordering: .relaxed) == 2 && server.connectionCount == 0 }
            })
        await server.shutdown()
    }
}
