import Foundation
import SidecarCLI
import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import Testing

/// The daemon over its real socket: framing, line mode, multiplexing, cancel and the bad-input battery.
@Suite(.serialized)
struct ServerProtocolTests {
    let fixture: SidecarFixture

    init() throws { fixture = try SidecarFixture() }

    /// A framed ping gets a pong with the same id, and hello reports the protocol and limits.
    @Test func pingAndHello() throws {
        let client = try fixture.connect()
        let pong = try client.request(["type": "ping", "id": "p1"])
        #expect(pong == ["type": "pong", "id": "p1"])
        let hello = try client.request(["type": "hello", "id": "h1", "protocol": 1, "client": "tests"])
        #expect(hello["protocol"] == 1)
        #expect(hello["agent"] == .null)
        #expect(hello["max_frame"] == JSONValue(8 << 20))
        #expect(hello["models"]?.arrayValue?.isEmpty == false)
    }

    /// A connection whose first byte is `{` speaks newline-delimited JSON both ways.
    @Test func lineModeSession() throws {
        let client = try SidecarClient(path: fixture.socketPath, mode: .lines)
        try client.sendRaw(Array("{\"type\":\"ping\",\"id\":\"1\"}\n\n{\"type\":\"ping\",\"id\":\"2\"}\r\n".utf8))
        #expect(try client.receive() == ["type": "pong", "id": "1"])
        #expect(try client.receive() == ["type": "pong", "id": "2"])
        try client.send(SidecarClient.complete("c1", model: "sim-fast"))
        let (chunks, done) = try client.collect("c1")
        #expect(!chunks.isEmpty)
        #expect(done["type"] == "done")
    }

    /// A streamed completion: chunks numbered 0, 1, 2 ... then exactly one `done` with usage and attempts.
    @Test func streamedCompletion() throws {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("c1", "Tell me about sockets", model: "sim-fast"))
        let (chunks, done) = try client.collect("c1")
        #expect(chunks.map { $0["seq"]?.intValue } == Array(0..<chunks.count))
        #expect(done["type"] == "done")
        #expect(done["provider"] == "sim")
        #expect(done["model"] == "sim-fast")
        #expect(done["stop_reason"] == "end_turn")
        #expect((done["usage"]?["output_tokens"]?.intValue ?? 0) > 0)
        #expect(done["attempts"]?.arrayValue?.count == 1)
        let text = chunks.compactMap { $0["delta"]?["text"]?.stringValue }.joined()
        #expect(done["content"]?.arrayValue?.first?["text"]?.stringValue == text)
    }

    /// Twenty requests in flight on one connection, frames interleaved: each gets ordered chunks and one terminal.
    @Test func twentyMultiplexedRequests() throws {
        let client = try fixture.connect()
        for i in 0..<20 { try client.send(SidecarClient.complete("m\(i)", "question \(i)")) }
        var seqs: [String: [Int]] = [:]
        var terminals: [String: JSONValue] = [:]
        while terminals.count < 20, let message = try client.receive() {
            guard let id = message["id"]?.stringValue else { continue }
            #expect(terminals[id] == nil, "a frame for \(id) after its terminal")
            if message["type"] == "chunk" {
                seqs[id, default: []].append(message["seq"]?.intValue ?? -1)
            } else {
                terminals[id] = message
            }
        }
        #expect(terminals.count == 20)
        for (id, terminal) in terminals {
            #expect(terminal["type"] == "done", "\(id): \(terminal)")
            let seen = seqs[id] ?? []
            #expect(seen == Array(0..<seen.count))
        }
    }

    /// 200 connections open at once, each with a completion in flight, all answered.
    @Test func twoHundredConcurrentConnections() throws {
        let clients = try (0..<200).map { _ in try fixture.connect() }
        for (i, client) in clients.enumerated() { try client.send(SidecarClient.complete("r\(i)", model: "sim-fast")) }
        let outcomes = try clients.enumerated().map { i, client in try client.collect("r\(i)").terminal["type"] }
        #expect(outcomes.count == 200)
        #expect(outcomes.allSatisfy { $0 == "done" })
    }

    /// `cancel` ends an in-flight request with `cancelled`; cancelling an unknown id is ignored.
    @Test func cancelInFlight() throws {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("slow", model: "sim-hang"))
        try client.send(["type": "cancel", "id": "nope"])
        try client.send(["type": "cancel", "id": "slow"])
        let (_, terminal) = try client.collect("slow")
        #expect(terminal["error"]?["code"] == "cancelled")
        #expect(try client.request(["type": "ping", "id": "after"])["type"] == "pong")
    }

    /// A second `complete` with an in-flight id is refused with `duplicate_id`; the first still finishes.
    @Test func duplicateInFlightID() throws {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("dup", model: "sim-pace-200"))
        try client.send(SidecarClient.complete("dup", model: "sim-fast"))
        var terminals: [JSONValue] = []
        while terminals.count < 2, let message = try client.receive() {
            if message["type"] != "chunk" { terminals.append(message) }
        }
        #expect(terminals.first?["error"]?["code"] == "duplicate_id")
        #expect(terminals.first?["id"] == "dup")
        #expect(terminals.last?["type"] == "done")
    }

    /// Closing the socket cancels its requests: the sidecar's in-flight count returns to zero.
    @Test func disconnectCancelsRequests() throws {
        do {
            let client = try fixture.connect()
            try client.send(SidecarClient.complete("gone", model: "sim-hang"))
            _ = try client.request(["type": "ping", "id": "sync"])
        }
        let status = try fixture.connect()
        var inFlight = -1
        for _ in 0..<500 {
            inFlight =
                try status.request(["type": "status", "id": "s"])["report"]?["sidecar"]?["in_flight"]?.intValue ?? -1
            if inFlight == 0 { break }
            usleep(10_000)
        }
        #expect(inFlight == 0)
    }
}
