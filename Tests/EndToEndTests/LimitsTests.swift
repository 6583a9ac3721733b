import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The configured limits hold with the real binary: stalled frames, connection cap, slow readers, budgets.
@Suite(.serialized)
struct LimitsTests {
    /// A connection stalled inside a frame is closed after read_timeout_s; an idle one between frames is not.
    @Test func stalledPartialFrameIsClosed() throws {
        let fixture = try SidecarFixture(limits: "{\"read_timeout_s\": 1}")
        let idle = try fixture.connect()
        _ = try idle.request(["type": "ping", "id": "warm"])
        let stalled = try fixture.connect()
        try stalled.sendRaw([0, 0, 0, 50] + Array("{\"type\":".utf8))
        #expect(try stalled.receive() == nil)
        #expect(try idle.request(["type": "ping", "id": "still"])["type"] == "pong")
    }

    /// Connections beyond max_connections are closed at once; the others keep working.
    @Test func connectionCap() throws {
        let fixture = try SidecarFixture(limits: "{\"max_connections\": 3}")
        /// The fixture's readiness probe may still hold a slot for a moment after it closed.
        func admitted() throws -> SidecarClient {
            for _ in 0..<100 {
                let client = try fixture.connect()
                if (try? client.request(["type": "ping", "id": "p"])) != nil { return client }
                usleep(20_000)
            }
            throw SidecarClient.ClientError(description: "no slot freed up")
        }
        let clients = try (0..<3).map { _ in try admitted() }
        let refused = try fixture.connect()
        try? refused.send(["type": "ping", "id": "x"])
        #expect((try? refused.receive()) ?? nil == nil)
        #expect(try clients[0].request(["type": "ping", "id": "again"])["type"] == "pong")
    }

    /// A client that stops reading stalls only its own streams: others are served, and when it reads again
    /// every one of its requests ends properly (paused, not dropped).
    @Test func slowReaderStallsOnlyItself() throws {
        let fixture = try SidecarFixture(limits: "{\"output_buffer\": 16384}")
        let slow = try fixture.connect()
        let long = String(repeating: "A long question about streams. ", count: 40)
        for i in 0..<40 { try slow.send(SidecarClient.complete("s\(i)", long, model: "sim-fast")) }
        let other = try fixture.connect()
        try other.send(SidecarClient.complete("o", model: "sim-fast"))
        #expect(try other.collect("o").terminal["type"] == "done")
        var done = 0
        while done < 40, let message = try slow.receive() {
            if message["type"] == "done" { done += 1 }
        }
        #expect(done == 40)
    }

    /// A token budget is enforced before any upstream call, with the reset time; spending stays within one
    /// reservation of it.
    @Test func tokenBudget() throws {
        let fixture = try SidecarFixture(
            agents:
                "{\"default\": {\"models\": [\"sim/sim-fast\"]}, \"frugal\": {\"models\": [\"sim/sim-fast\"], \"max_tokens\": 50, \"budget\": {\"tokens_per_day\": 400}}}"
        )
        let client = try fixture.connect()
        var outcomes: [JSONValue] = []
        for i in 0..<10 {
            try client.send(SidecarClient.complete("b\(i)", "Hi there", agent: "frugal"))
            outcomes.append(try client.collect("b\(i)").terminal)
        }
        let refused = outcomes.filter { $0["error"]?["code"] == "budget_exceeded" }
        #expect(!refused.isEmpty)
        #expect(refused.first?["error"]?["retry_after_ms"]?.intValue != nil)
        let spent = outcomes.map(LedgerDurabilityTests.tokens).reduce(0, +)
        #expect(spent <= 400 + 100)
        let usage = try client.request(["type": "usage", "id": "u", "agent": "frugal"])
        #expect(usage["report"]?["totals"]?["total_tokens"]?.intValue == spent)
    }
}
