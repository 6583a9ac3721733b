import Foundation
import SidecarCLI
import SidecarFraming
import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Clients that come and go in every way a real one can, thousands of times, against the real binary: the
/// daemon stays up, and afterwards holds exactly the descriptors and connections it held before.
///
/// `SIDECAR_CHURN_CYCLES` sets the cycles per pattern and wire mode (default 1,700: about 20,000 connections
/// in all); `SIDECAR_SOAK_SECONDS` repeats whole rounds, checking after each, until that time is up
/// (`scripts/soak.sh`).
@Suite(.serialized)
struct ChurnTests {
    static let cycles = Int(ProcessInfo.processInfo.environment["SIDECAR_CHURN_CYCLES"] ?? "") ?? 1_700
    static let soakSeconds = Int(ProcessInfo.processInfo.environment["SIDECAR_SOAK_SECONDS"] ?? "") ?? 0

    /// What one churning client does before it goes.
    enum Pattern: CaseIterable {
        case closeAtOnce, pingThenClose, partialFrameThenClose, completeThenClose, pingReadThenClose, pingThenReset
    }

    static func bytes(_ message: String, mode: WireMode) -> [UInt8] {
        FrameEncoder.encode(Array(message.utf8), mode: mode)
    }

    /// Plays `pattern` once; false when the connection was refused.
    @discardableResult
    static func play(_ pattern: Pattern, mode: WireMode, path: String) -> Bool {
        guard let socket = RawUnixSocket(path: path) else { return false }
        let ping = bytes(#"{"type":"ping","id":"p"}"#, mode: mode)
        switch pattern {
        case .closeAtOnce:
            socket.close()
        case .pingThenClose:
            socket.send(ping)
            socket.close()
        case .partialFrameThenClose:
            socket.send(mode == .framed ? [0, 0, 0, 50] + Array(#"{"type":"#.utf8) : Array(#"{"type":"pi"#.utf8))
            socket.close()
        case .completeThenClose:
            socket.send(
                bytes(
                    #"{"type":"complete","id":"c","model":"sim-pace-200","messages":[{"role":"user","content":"Hi"}]}"#,
                    mode: mode))
            socket.close()
        case .pingReadThenClose:
            socket.send(ping)
            _ = socket.readSome()
            socket.close()
        case .pingThenReset:
            socket.send(ping)
            socket.close(reset: true)
        }
        return true
    }

    /// Runs every pattern in both wire modes `cycles` times, from four client threads. Returns how many
    /// connections were refused.
    static func churn(path: String) -> Int {
        let work = Pattern.allCases.flatMap { pattern in [WireMode.framed, .lines].map { (pattern, $0) } }
        let refused = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for _ in stride(from: worker, to: cycles, by: 4) {
                for (pattern, mode) in work.shuffled() where !play(pattern, mode: mode, path: path) {
                    refused.add(1, ordering: .relaxed)
                }
            }
        }
        return refused.load(ordering: .relaxed)
    }

    /// The sidecar's view once churn settles: its connection count (the status connection itself is one),
    /// requests in flight, and open descriptors.
    static func settles(_ fixture: SidecarFixture, descriptors baseline: Int) throws -> Bool {
        let pid = fixture.sidecar.process.processIdentifier
        return try eventually {
            guard ProcessInspection.openDescriptors(pid) <= baseline else { return false }
            let sidecar = try fixture.connect().request(["type": "status", "id": "s"])["report"]?["sidecar"]
            return sidecar?["connections"] == 1 && sidecar?["in_flight"] == 0
        }
    }

    /// Every way a client can leave, in both wire modes: nothing leaks, the daemon answers afterwards.
    @Test func clientChurnLeavesNothingBehind() async throws {
        let fixture = try await blocking { try SidecarFixture() }
        let pid = fixture.sidecar.process.processIdentifier
        _ = try fixture.connect().request(["type": "ping", "id": "warm"])
        #expect(try await blocking { try Self.settles(fixture, descriptors: Int.max) })
        let baseline = ProcessInspection.openDescriptors(pid)
        let deadline = ContinuousClock.now + .seconds(Self.soakSeconds)
        var rounds = 0
        repeat {
            rounds += 1
            #expect(try await blocking { Self.churn(path: fixture.socketPath) } == 0)
            #expect(fixture.sidecar.process.isRunning, "\(fixture.sidecar.stderr.suffix(2000))")
            #expect(
                try await blocking { try Self.settles(fixture, descriptors: baseline) },
                "descriptors: \(ProcessInspection.openDescriptors(pid)) > \(baseline)")
        } while ContinuousClock.now < deadline
        print("churn: \(rounds) rounds of \(Self.cycles * Pattern.allCases.count * 2) connections, nothing leaked")
        #expect(try fixture.connect().request(["type": "ping", "id": "after"])["type"] == "pong")
    }

    /// Clients that vanish mid-answer over real HTTP: every upstream request they started is cancelled (the
    /// upstream sees each disconnect), and the upstream connections are released.
    @Test func upstreamChurnCancelsAndReleases() async throws {
        let upstream = SimulatedUpstream()
        upstream.defaultPacingMilliseconds = 1
        let port = try upstream.start()
        defer { upstream.stop() }
        let fixture = try await blocking {
            try SidecarFixture(
                providers: """
                    [{"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
                      "api_key_env": "TEST_ANTHROPIC_KEY", "models": ["claude-test", "sim-pace-50"],
                      "max_retries": 0, "health_check": {"enabled": false}}]
                    """,
                agents: #"{"default": {"models": ["anthropic/claude-test", "anthropic/sim-pace-50"]}}"#,
                environment: ["TEST_ANTHROPIC_KEY": "sk-ant-test-key"])
        }
        let pid = fixture.sidecar.process.processIdentifier
        // One complete exchange first: its pooled upstream connection belongs to the baseline.
        do {
            let warm = try fixture.connect()
            try warm.send(SidecarClient.complete("warm", model: "anthropic/claude-test"))
            #expect(try warm.collect("warm").terminal["type"] == "done")
        }
        #expect(try await blocking { try Self.settles(fixture, descriptors: Int.max) })
        let baseline = ProcessInspection.openDescriptors(pid)
        let clients = 200
        let request = SidecarClient.complete("c", model: "anthropic/sim-pace-50").encoded()
        let deadline = ContinuousClock.now + .seconds(Self.soakSeconds)
        repeat {
            try await blocking {
                DispatchQueue.concurrentPerform(iterations: 4) { worker in
                    for index in stride(from: worker, to: clients, by: 4) {
                        guard let socket = RawUnixSocket(path: fixture.socketPath) else { continue }
                        socket.send(FrameEncoder.encode(request, mode: .framed))
                        // Half leave once the answer has started, half at once.
                        if index % 2 == 0 { _ = socket.readSome() }
                        socket.close()
                    }
                }
            }
            #expect(
                try await blocking { try Self.settles(fixture, descriptors: baseline) },
                "descriptors: \(ProcessInspection.openDescriptors(pid)) > \(baseline)")
            let started = upstream.requests().filter { $0.model == "sim-pace-50" }.count
            #expect(started >= clients / 2)
            #expect(await upstream.waitForDisconnect(count: started, timeout: .seconds(30)))
            upstream.reset()
        } while ContinuousClock.now < deadline
        #expect(fixture.sidecar.process.isRunning)
    }
}
