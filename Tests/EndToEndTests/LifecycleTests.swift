import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Starting, binding, agent binding and draining, with the real binary.
@Suite(.serialized)
struct LifecycleTests {
    /// SIGTERM lets an in-flight stream finish, then the process exits 0 and removes its socket.
    @Test func sigtermDrainsInFlightRequests() throws {
        let fixture = try SidecarFixture()
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("long", model: "sim-pace-200"))
        let first = try #require(try client.receive())
        #expect(first["type"] == "chunk")
        kill(fixture.sidecar.process.processIdentifier, SIGTERM)
        let (_, terminal) = try client.collect("long")
        #expect(terminal["type"] == "done")
        #expect(fixture.sidecar.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: fixture.socketPath))
    }

    /// Requests still running when the grace period ends get `shutting_down`.
    @Test func graceExpiryEndsRequestsWithShuttingDown() throws {
        let fixture = try SidecarFixture(limits: "{\"grace_s\": 1}")
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("stuck", model: "sim-hang"))
        _ = try client.request(["type": "ping", "id": "sync"])
        kill(fixture.sidecar.process.processIdentifier, SIGTERM)
        let (_, terminal) = try client.collect("stuck")
        #expect(terminal["error"]?["code"] == "shutting_down")
        #expect(fixture.sidecar.stop() == 0)
    }

    /// A live sidecar's socket is never taken over; a stale socket file is replaced.
    @Test func staleSocketReplacedLiveSocketRefused() throws {
        let fixture = try SidecarFixture()
        let second = try CommandRun([
            "serve", "--socket", fixture.socketPath, "--ledger", fixture.directory.file("l2.sqlite"),
        ])
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use by a running sidecar"))

        let directory = TemporaryDirectory()
        let stale = directory.file("stale.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(stale.utf8))
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        close(fd)
        #expect(FileManager.default.fileExists(atPath: stale))
        let revived = try SidecarProcess(
            arguments: ["serve", "--socket", stale, "--ledger", directory.file("l.sqlite")],
            socketPath: stale)
        #expect(try revived.connect().request(["type": "ping", "id": "1"])["type"] == "pong")
        #expect(revived.stop() == 0)
    }

    /// The socket file gets the configured mode (default 0660), and its parent directory is created.
    @Test func socketModeAndParentDirectory() throws {
        let directory = TemporaryDirectory()
        let custom = directory.file("nested/dir/s.sock")
        let defaulted = directory.file("other/d.sock")
        let fixture = try SidecarFixture(
            listeners: "[{\"path\": \"\(custom)\", \"mode\": \"0600\"}, {\"path\": \"\(defaulted)\"}]",
            waitFor: defaulted)
        _ = fixture
        var info = stat()
        #expect(stat(custom, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(defaulted, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
    }

    /// A listener bound to an agent acts as that agent and refuses requests naming another one.
    @Test func boundListenerForbidsOtherAgents() throws {
        let directory = TemporaryDirectory()
        let bound = directory.file("coder.sock")
        let open = directory.file("open.sock")
        let fixture = try SidecarFixture(
            listeners: "[{\"path\": \"\(open)\"}, {\"path\": \"\(bound)\", \"agent\": \"coder\"}]", waitFor: bound,
            agents: "{\"default\": {\"models\": [\"sim/sim-fast\"]}, \"coder\": {\"models\": [\"sim/sim-echo\"]}}")
        _ = fixture
        let coder = try SidecarClient(path: bound)
        let hello = try coder.request(["type": "hello", "id": "h", "protocol": 1])
        #expect(hello["agent"] == "coder")
        try coder.send(SidecarClient.complete("a", agent: "reviewer"))
        #expect(try coder.collect("a").terminal["error"]?["code"] == "forbidden")
        try coder.send(SidecarClient.complete("b", agent: "coder"))
        #expect(try coder.collect("b").terminal["model"] == "sim-echo")
        try coder.send(SidecarClient.complete("c"))
        #expect(try coder.collect("c").terminal["model"] == "sim-echo")
    }

    /// An unusable ledger stops startup with a message naming the file; nothing is left listening.
    @Test func unusableLedgerFailsStartup() throws {
        let directory = TemporaryDirectory()
        let socket = directory.file("s.sock")
        let missingDir = directory.file("no/such/dir/ledger.sqlite")
        let missing = try CommandRun(["serve", "--socket", socket, "--ledger", missingDir])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(missingDir))
        let corrupt = try directory.write("corrupt.sqlite", String(repeating: "not a database ", count: 400))
        let broken = try CommandRun(["serve", "--socket", socket, "--ledger", corrupt])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains(corrupt))
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    /// A SIGTERM sent the moment the socket accepts is honoured (the handler is in place before listening).
    @Test func sigtermRightAfterListeningIsNotLost() throws {
        for _ in 0..<20 {
            let directory = TemporaryDirectory()
            let sidecar = try SidecarProcess(
                arguments: ["serve", "--socket", directory.file("s.sock"), "--ledger", directory.file("l.sqlite")],
                socketPath: directory.file("s.sock"))
            kill(sidecar.process.processIdentifier, SIGTERM)
            var waited = 0
            while sidecar.process.isRunning && waited < 1000 {
                usleep(10_000)
                waited += 1
            }
            #expect(!sidecar.process.isRunning, "SIGTERM was lost")
            #expect(sidecar.stop(signal: SIGKILL) == 0)
        }
    }

    /// With no config and no keys, `serve` creates its default socket and ledger directories and answers
    /// through the simulated provider.
    @Test func servesWithNoConfigAtAll() throws {
        let directory = TemporaryDirectory()
        let runtime = directory.file("run")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        let socket = "\(runtime)/provider-sidecar/sidecar.sock"
        let sidecar = try SidecarProcess(
            arguments: ["serve"], socketPath: socket,
            environment: [
                "XDG_RUNTIME_DIR": runtime, "XDG_STATE_HOME": directory.file("state"),
                "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "",
            ])
        let client = try sidecar.connect()
        try client.send(SidecarClient.complete("hi"))
        #expect(try client.collect("hi").terminal["provider"] == "simulated")
        #expect(FileManager.default.fileExists(atPath: directory.file("state/provider-sidecar/ledger.sqlite")))
        #expect(sidecar.stop() == 0)
    }
}
