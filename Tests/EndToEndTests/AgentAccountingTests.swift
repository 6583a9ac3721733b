import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Who a request is accounted to: an agent missing from the config is `default` for budgets, rate limits and
/// the ledger, and `status` on a bound socket shows only that agent's spending.
@Suite(.serialized)
struct AgentAccountingTests {
    static func ask(_ fixture: SidecarFixture, _ id: String, agent: String?) throws -> JSONValue {
        let client = try fixture.connect()
        try client.send(SidecarClient.complete(id, model: "sim-fast", agent: agent))
        return try client.collect(id).terminal
    }

    /// Invented names share `default`'s requests per minute, and their rows are recorded under `default`.
    @Test func unknownAgentsShareDefaultsRateLimit() throws {
        let fixture = try SidecarFixture(
            agents: #"{"default": {"models": ["sim/sim-fast"], "budget": {"requests_per_minute": 1}}}"#)
        #expect(try Self.ask(fixture, "r1", agent: "mallory")["type"] == "done")
        let second = try Self.ask(fixture, "r2", agent: "eve")
        #expect(second["error"]?["code"] == "rate_limited")
        #expect(second["error"]?["message"]?.stringValue?.contains("\"default\"") == true)
        let usage = try fixture.connect().request(["type": "usage", "id": "u", "group_by": "agent"])
        #expect(usage["report"]?["rows"]?.arrayValue?.map { $0["key"] } == ["default"])
    }

    /// An invented name meets `default`'s token budget before any upstream call.
    @Test func unknownAgentsMeetDefaultsTokenBudget() throws {
        let fixture = try SidecarFixture(
            agents: #"{"default": {"models": ["sim/sim-fast"], "budget": {"tokens_per_day": 1}}}"#)
        let refused = try Self.ask(fixture, "r", agent: "someone-new")
        #expect(refused["error"]?["code"] == "budget_exceeded")
    }

    /// On a socket bound to `coder`, `status` lists only `coder`'s spending; the unbound socket lists every
    /// agent. Providers are shown on both.
    @Test func statusOnABoundSocketShowsOnlyItsAgent() throws {
        let directory = TemporaryDirectory()
        let open = directory.file("open.sock")
        let bound = directory.file("coder.sock")
        let fixture = try SidecarFixture(
            listeners: #"[{"path": "\#(open)"}, {"path": "\#(bound)", "agent": "coder"}]"#, waitFor: bound,
            agents: """
                {"default": {"models": ["sim/sim-fast"], "budget": {"tokens_per_day": 100000}},
                 "coder": {"models": ["sim/sim-fast"], "budget": {"tokens_per_day": 5000}}}
                """)
        let client = try SidecarClient(path: open)
        try client.send(SidecarClient.complete("r", model: "sim-fast"))
        #expect(try client.collect("r").terminal["type"] == "done")
        func agents(_ path: String) throws -> [JSONValue] {
            let report = try SidecarClient(path: path).request(["type": "status", "id": "s"])["report"]
            #expect(report?["providers"]?.arrayValue?.isEmpty == false)
            return report?["agents"]?.arrayValue ?? []
        }
        let fromBound = try agents(bound)
        #expect(fromBound.map { $0["name"] } == ["coder"])
        #expect(fromBound.first?["budget"]?["tokens_per_day"]?.intValue == 5000)
        let fromOpen = try agents(open)
        #expect(fromOpen.map { $0["name"] } == ["coder", "default"])
        #expect(fromOpen.last?["spent_tokens_today"]?.intValue ?? 0 > 0)
        #expect(fixture.sidecar.process.isRunning)
    }
}
