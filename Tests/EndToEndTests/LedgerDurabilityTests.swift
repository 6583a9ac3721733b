import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The ledger as an agent sees it: what `done` reported is exactly what `usage` shows, even after SIGKILL.
@Suite(.serialized)
struct LedgerDurabilityTests {
    /// Sends `count` completions spread over `connections` connections, returns the terminals by id.
    static func run(
        _ count: Int, connections: Int, on fixture: SidecarFixture,
        until stop: (([String: JSONValue]) -> Bool)? = nil
    ) throws -> [String: JSONValue] {
        let clients = try (0..<connections).map { _ in try fixture.connect() }
        for i in 0..<count {
            try clients[i % connections].send(
                SidecarClient.complete("r\(i)", "request number \(i) " + String(repeating: "x", count: i % 37)))
        }
        var terminals: [String: JSONValue] = [:]
        for (n, client) in clients.enumerated() {
            let mine = Array(stride(from: n, to: count, by: connections)).count
            var seen = 0
            while seen < mine, let message = try client.receive() {
                guard message["type"] != "chunk", let id = message["id"]?.stringValue else { continue }
                terminals[id] = message
                seen += 1
                if let stop, stop(terminals) { return terminals }
            }
        }
        return terminals
    }

    static func tokens(_ terminal: JSONValue) -> Int {
        ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"]
            .map { terminal["usage"]?[$0]?.intValue ?? 0 }.reduce(0, +)
    }

    /// 200 parallel completions: the ledger's totals equal the sum of the usage every `done` reported.
    @Test func ledgerTotalsEqualReportedUsage() throws {
        let fixture = try SidecarFixture()
        let terminals = try Self.run(200, connections: 10, on: fixture)
        #expect(terminals.count == 200)
        #expect(terminals.values.allSatisfy { $0["type"] == "done" })
        let reported = terminals.values.map(Self.tokens).reduce(0, +)
        let usage = try fixture.connect().request(["type": "usage", "id": "u"])
        #expect(usage["report"]?["totals"]?["requests"]?.intValue == 200)
        #expect(usage["report"]?["totals"]?["total_tokens"]?.intValue == reported)
        let cli = try CommandRun(["usage", "--socket", fixture.socketPath, "--json"])
        #expect(try JSONValue.parse(Array(cli.stdout.utf8))["totals"]?["total_tokens"]?.intValue == reported)
    }

    /// SIGKILL under load loses no row of a request whose terminal frame was sent; the restarted sidecar
    /// opens the same ledger and its budgets see the same spending.
    @Test func sigkillUnderLoadLosesNoAnsweredRow() throws {
        let fixture = try SidecarFixture()
        let answered = try Self.run(300, connections: 6, on: fixture) { $0.count >= 60 }
        kill(fixture.sidecar.process.processIdentifier, SIGKILL)
        fixture.sidecar.process.waitUntilExit()
        let export = try CommandRun(["usage", "export", "--ledger", fixture.ledgerPath, "--format", "jsonl"])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = try export.stdout.split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
        let recorded = Dictionary(
            rows.compactMap { row in row["request_id"]?.stringValue.map { ($0, row) } },
            uniquingKeysWith: { a, _ in a })
        for (id, terminal) in answered where terminal["type"] == "done" {
            let row = try #require(recorded[id], "row of answered request \(id) missing after SIGKILL")
            #expect(row["output_tokens"]?.intValue == terminal["usage"]?["output_tokens"]?.intValue)
        }
        let restarted = try SidecarProcess(
            arguments: ["serve", "--socket", fixture.socketPath, "--ledger", fixture.ledgerPath],
            socketPath: fixture.socketPath)
        let usage = try restarted.connect().request(["type": "usage", "id": "u"])
        #expect(usage["report"]?["totals"]?["requests"]?.intValue == rows.count)
        #expect(restarted.stop() == 0)
    }
}
