import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

/// The CLI's contract: exit codes, messages naming the problem, and the client commands.
struct CommandLineTests {
    /// An unknown flag prints usage and exits 2; --help exits 0; --version prints the version.
    @Test func usageErrors() throws {
        let unknown = try CommandRun(["serve", "--sokcet", "/tmp/x"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option --sokcet"))
        #expect(unknown.stderr.contains("usage: provider-sidecar serve"))
        #expect(try CommandRun(["frobnicate"]).status == 2)
        for command in ["serve", "check-config", "call", "status", "usage", "demo"] {
            let help = try CommandRun([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("usage: provider-sidecar \(command)"))
        }
        #expect(try CommandRun(["--version"]).stdout.hasPrefix("provider-sidecar "))
    }

    /// check-config lists every problem with its JSON path and exits 1; a valid file exits 0.
    @Test func checkConfig() throws {
        let directory = TemporaryDirectory()
        let bad = try directory.write(
            "bad.json",
            """
            {"providers": [{"name": "a", "kind": "simulated", "models": ["m"]}, {"name": "b", "models": ["n"]}],
             "agents": {"default": {"models": ["antropic/m"]}}, "limitz": {}}
            """)
        let result = try CommandRun(["check-config", bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("providers[1].kind"))
        #expect(result.stderr.contains("agents.default.models[0]"))
        #expect(result.stderr.contains("limitz"))
        let good = try directory.write(
            "good.json",
            """
            {"providers": [{"name": "sim", "kind": "simulated", "models": ["sim-echo"]}],
             "agents": {"default": {"models": ["sim/sim-echo"]}}}
            """)
        #expect(try CommandRun(["check-config", good]).status == 0)
        #expect(try CommandRun(["check-config", directory.file("missing.json")]).status == 1)
    }

    /// `call` streams the answer to stdout and a usage line to stderr; `status` renders a table.
    @Test func callAndStatus() throws {
        let fixture = try SidecarFixture()
        let call = try CommandRun(["call", "--socket", fixture.socketPath, "--model", "sim-fast", "Say hi"])
        #expect(call.status == 0)
        #expect(!call.stdout.isEmpty)
        #expect(call.stderr.contains("sim/sim-fast"))
        #expect(call.stderr.contains("output"))
        let status = try CommandRun(["status", "--socket", fixture.socketPath])
        #expect(status.status == 0)
        #expect(status.stdout.contains("sim"))
        let json = try CommandRun(["status", "--socket", fixture.socketPath, "--json"])
        #expect(json.stdout.hasPrefix("{"))
        let refused = try CommandRun(["call", "--socket", fixture.directory.file("nobody.sock"), "hi"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("provider-sidecar serve"))
    }

    /// `demo` runs the whole round trip offline and exits 0.
    @Test func demoRoundTrip() throws {
        let demo = try CommandRun(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(!demo.stdout.isEmpty)
    }

    /// `usage` reads the ledger through the socket or straight from the file (also while the sidecar runs),
    /// and `usage export` writes CSV or JSON lines; bad filters are usage errors.
    @Test func usageFromSocketAndFile() throws {
        let fixture = try SidecarFixture()
        let client = try fixture.connect()
        for (i, model) in ["sim-fast", "sim-echo", "sim-fast"].enumerated() {
            try client.send(SidecarClient.complete("u\(i)", model: model, extra: ["metadata": ["ticket": "T-1"]]))
            #expect(try client.collect("u\(i)").terminal["type"] == "done")
        }
        let viaSocket = try CommandRun(["usage", "--socket", fixture.socketPath, "--by", "model"])
        #expect(viaSocket.status == 0)
        #expect(viaSocket.stdout.contains("sim/sim-fast"))
        #expect(viaSocket.stdout.contains("TOTAL"))
        let viaFile = try CommandRun(["usage", "--ledger", fixture.ledgerPath, "--by", "model", "--json"])
        let report = try JSONValue.parse(Array(viaFile.stdout.utf8))
        #expect(report["totals"]?["requests"] == 3)
        #expect(report["rows"]?.arrayValue?.count == 2)
        let today = try CommandRun([
            "usage", "--ledger", fixture.ledgerPath, "--since", "2000-01-01", "--model", "sim-echo",
        ])
        #expect(today.stdout.contains("default"))
        let csv = try CommandRun(["usage", "export", "--ledger", fixture.ledgerPath])
        #expect(csv.stdout.hasPrefix("time,request_id,agent"))
        #expect(csv.stdout.split(separator: "\n").count == 4)
        #expect(csv.stdout.contains("T-1"))
        let bad = try CommandRun(["usage", "--ledger", fixture.ledgerPath, "--since", "yesterday"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("since"))
    }
}
