import Foundation
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
        let bad = try directory.write("bad.json", """
            {"providers": [{"name": "a", "kind": "simulated", "models": ["m"]}, {"name": "b", "models": ["n"]}],
             "agents": {"default": {"models": ["antropic/m"]}}, "limitz": {}}
            """)
        let result = try CommandRun(["check-config", bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("providers[1].kind"))
        #expect(result.stderr.contains("agents.default.models[0]"))
        #expect(result.stderr.contains("limitz"))
        let good = try directory.write("good.json", """
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
}
