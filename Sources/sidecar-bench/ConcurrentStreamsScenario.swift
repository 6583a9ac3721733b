import Foundation
import SidecarProtocol
import SidecarSimulator

/// Scenario `streams`: many `complete` requests in flight at once, multiplexed over a few connections, against
/// a paced upstream; wall time, chunk throughput, and the sidecar's peak memory.
struct ConcurrentStreamsScenario {
    let connections: Int
    let perConnection: Int
    let deltas = 20
    let pacingMilliseconds = 10.0

    private var total: Int { connections * perConnection }

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.streams)
        let upstream = SimulatedUpstream(pacingMilliseconds: pacingMilliseconds)
        let port = try upstream.start()
        defer { upstream.stop() }
        let text = (1...deltas).map { "word\($0)" }.joined(separator: " ")
        upstream.enqueue(.reply(Reply(text: text)), count: total + 1)
        let sidecar = try BenchConfig(upstreamPort: port).spawn()
        defer { sidecar.stop() }
        try sidecar.waitUntilListening()

        let warm = try UnixConnection(path: sidecar.socketPath)
        let warmStart = Monotonic.now()
        try warm.send(warm.encode(request(id: "warm")))
        var terminal = try warm.nextMessage()
        while terminal["type"] == "chunk" { terminal = try warm.nextMessage() }
        guard terminal["type"] == "done" else { throw BenchError("the warm-up request failed: \(terminal)") }
        let single = Double(Monotonic.now() - warmStart) / 1e6
        let rssBefore = sidecar.memory().rss
        let cpuBefore = sidecar.cpuSeconds()
        let ownCPUBefore = MachineLoad.ownCPUSeconds()

        let tally = StreamTally()
        let wall = try runClients(socket: sidecar.socketPath, tally: tally)
        let (chunks, done, failures) = tally.snapshot
        let memory = sidecar.memory()
        let cpu = sidecar.cpuSeconds() - cpuBefore
        let ownCPU = MachineLoad.ownCPUSeconds() - ownCPUBefore

        result.add("streams completed", Double(done), "of \(total)", target: "all", met: done == total)
        result.add("wall time", wall * 1000, "ms")
        result.add("one stream alone", single, "ms")
        result.add("chunks delivered", Double(chunks), "")
        result.add("chunks per second", Double(chunks) / wall, "/s")
        result.add("sidecar CPU", cpu, "s")
        result.add("sidecar CPU per chunk", chunks > 0 ? cpu / Double(chunks) * 1e6 : 0, "µs")
        result.add("bench CPU (simulator + clients)", ownCPU, "s")
        result.add("RSS before the burst", rssBefore / 1e6, "MB")
        result.add("peak RSS (VmHWM)", memory.peak / 1e6, "MB", below: 100)
        result.notes.append(
            "\(connections) connections x \(perConnection) multiplexed = \(total) concurrent streams; upstream: "
                + "\(deltas) text deltas per stream, \(Int(pacingMilliseconds)) ms between SSE events "
                + "(26 events, so >= 250 ms per stream)")
        if let failure = failures.first { result.notes.append("\(failures.count) failed, first: \(failure)") }
        return result
    }

    private func request(id: String) -> JSONValue {
        [
            "type": "complete", "id": .string(id), "model": .string(BenchConfig.anthropicModel),
            "messages": [["role": "user", "content": "Stream twenty words."]],
        ]
    }

    /// Connects every client, then releases them together; returns the seconds until the last terminal frame.
    private func runClients(socket: String, tally: StreamTally) throws -> Double {
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        for index in 0..<connections {
            let ids = (0..<perConnection).map { "s\(index)-\($0)" }
            let requests = ids.map(request)
            let thread = Thread {
                defer { finished.signal() }
                let connection: UnixConnection
                do {
                    connection = try UnixConnection(path: socket)
                } catch {
                    ready.signal()
                    tally.record(chunks: 0, done: 0, failures: ["\(error)"])
                    return
                }
                ready.signal()
                go.wait()
                Self.stream(requests, on: connection, tally: tally)
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
        for _ in 0..<connections { ready.wait() }
        let start = Monotonic.now()
        for _ in 0..<connections { go.signal() }
        for _ in 0..<connections {
            guard finished.wait(timeout: .now() + 120) == .success else {
                throw BenchError("the streams did not finish within 120 s")
            }
        }
        return Double(Monotonic.now() - start) / 1e9
    }

    /// Sends every request at once, then reads until each has its terminal frame.
    private static func stream(_ requests: [JSONValue], on connection: UnixConnection, tally: StreamTally) {
        var chunks = 0
        var done = 0
        var failures: [String] = []
        do {
            for request in requests { try connection.send(connection.encode(request)) }
            var open = requests.count
            while open > 0 {
                let message = try connection.nextMessage()
                switch message["type"]?.stringValue {
                case "chunk": chunks += 1
                case "done":
                    done += 1
                    open -= 1
                default:
                    failures.append("\(message)")
                    open -= 1
                }
            }
        } catch {
            failures.append("\(error)")
        }
        tally.record(chunks: chunks, done: done, failures: failures)
    }
}
