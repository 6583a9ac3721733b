import CSQLite
import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

@testable import SidecarLedger

/// `usage` queries over a large ledger run on the ledger's reader threads: a client pipelining them delays
/// no one's completions, and each connection may have only a few in flight.
@Suite(.serialized)
struct UsageLoadTests {
    /// Rows in the prepared ledger: enough that one `usage` query is a noticeable scan.
    static let rows = 200_000

    /// Creates the ledger at `path` and fills it with `rows` old rows in one SQL transaction.
    static func fill(_ path: String) throws {
        try Ledger.open(path: path).close()
        let db = try SQLiteDatabase(path: path, flags: SQLITE_OPEN_READWRITE)
        defer { db.close() }
        try db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows))
            INSERT INTO requests (time_ms, request_id, agent, provider, model, outcome, input_tokens, output_tokens,
                cache_read_tokens, cache_write_tokens, usage_reported, latency_ms, attempts)
            SELECT 1700000000000 + i * 1000, 'old-' || i, 'agent-' || (i % 40), 'sim', 'sim-echo', 'ok', 10, 20,
                0, 0, 1, 5, 1 FROM n
            """)
    }

    static func usage(_ id: String) -> JSONValue { ["type": "usage", "id": .string(id), "group_by": "model"] }

    /// Seven connections each pipeline as many queries as they may (56 in all); a `complete` sent afterwards
    /// on an eighth connection is answered while most queries are still outstanding. Order is observed without clocks:
    /// after the `done`, a `ping` goes out on each query connection, and its `pong` overtakes the usage
    /// replies not yet sent. Were queries run on the cooperative pool, the completion would wait behind
    /// nearly all of them (31 of 32 in a run of the build before the fix); with its own reader threads it waits
    /// only for as many as finish while it runs: a handful on an idle machine, up to 48 of 56 with two
    /// compilers running beside the test on 2 cores. The bound sits between the two behaviours.
    @Test func pipelinedUsageQueriesDoNotDelayACompletion() throws {
        let fixture = try SidecarFixture(prepareLedger: Self.fill)
        let queriers = try (0..<7).map { _ in try fixture.connect() }
        for (n, client) in queriers.enumerated() {
            for q in 0..<8 { try client.send(Self.usage("u\(n)-\(q)")) }
        }
        let completer = try fixture.connect()
        try completer.send(SidecarClient.complete("c", model: "sim-fast"))
        #expect(try completer.collect("c").terminal["type"] == "done")

        var answeredBeforeDone = 0
        var answered = 0
        for (n, client) in queriers.enumerated() {
            try client.send(["type": "ping", "id": .string("p\(n)")])
            var sawPong = false
            while answered < (n + 1) * 8 || !sawPong, let message = try client.receive() {
                if message["type"] == "pong" {
                    sawPong = true
                    continue
                }
                #expect(message["type"] == "usage", "\(message)")
                #expect(message["report"]?["totals"]?["requests"]?.intValue ?? 0 >= Self.rows)
                answered += 1
                if !sawPong { answeredBeforeDone += 1 }
            }
        }
        #expect(answered == 56)
        #expect(answeredBeforeDone < 52, "\(answeredBeforeDone) of 56 usage replies came before the completion's done")
    }

    /// Beyond 8 queries in flight on one connection, further ones are refused at once with retryable
    /// `rate_limited`; every query gets exactly one reply, and the connection can query again afterwards.
    @Test func queriesInFlightPerConnectionAreBounded() throws {
        let fixture = try SidecarFixture(prepareLedger: Self.fill)
        let client = try fixture.connect()
        let ids = (0..<20).map { "u\($0)" }
        for id in ids { try client.send(Self.usage(id)) }
        var replies: [String: JSONValue] = [:]
        while replies.count < ids.count, let message = try client.receive() {
            let id = try #require(message["id"]?.stringValue)
            #expect(replies[id] == nil, "two replies for \(id)")
            replies[id] = message
        }
        let refused = replies.values.filter { $0["type"] == "error" }
        #expect(replies.values.filter { $0["type"] == "usage" }.count >= 8)
        #expect(!refused.isEmpty)
        for error in refused {
            #expect(error["error"]?["code"] == "rate_limited")
            #expect(error["error"]?["retryable"] == true)
        }
        #expect(try client.request(Self.usage("again"))["type"] == "usage")
    }
}
