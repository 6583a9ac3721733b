import Foundation
import SidecarProtocol
import SidecarSimulator

/// Scenario `streams`: many `complete` requests in flight at once, multiplexed over a few connections, against
/// a paced upstream; wall time, chunk throughput, CPU, and the sidecar's peak memory. The same burst on the
/// sidecar's built-in simulated provider (no HTTP) shows how much of the CPU the upstream side costs.
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
        try burst(BenchConfig.anthropicModel, label: "anthropic", port: port, into: &result)
        try burst(BenchConfig.simulatedPacedModel, label: "no HTTP", port: port, into: &result)
        result.notes.append(
            "\(connections) connections x \(perConnection) multiplexed = \(total) concurrent streams, each sidecar "
                + "fresh; anthropic: the simulated upstream sends \(deltas) text deltas per stream, "
                + "\(Int(pacingMilliseconds)) ms between SSE events (26 events, so >= 250 ms per stream); no HTTP: "
                + "the sidecar's built-in simulated provider, \(Int(pacingMilliseconds)) ms between deltas")
        return result
    }

    /// One burst of `total` streams of `model` against a fresh sidecar; adds its metrics under `label`.
    private func burst(_ model: String, label: String, port: UInt16, into result: inout ScenarioResult) throws {
        let sidecar = try BenchConfig(upstreamPort: port).spawn()
        defer { sidecar.stop() }
        try sidecar.waitUntilListening()

        let warm = try UnixConnection(path: sidecar.socketPath)
        let warmStart = Monotonic.now()
        try warm.send(warm.encode(request(id: "warm", model: model)))
        var terminal = try warm.nextMessage()
        while terminal["type"] == "chunk" { terminal = try warm.nextMessage() }
        guard terminal["type"] == "done" else { throw BenchError("the warm-up request failed: \(terminal)") }
        let single = Double(Monotonic.now() - warmStart) / 1e6
        let rssBefore = sidecar.memory().rss
        let cpuBefore = sidecar.cpuSeconds()
        let ownCPUBefore = MachineLoad.ownCPUSeconds()

        let tally = StreamTally()
        let wall = try runClients(socket: sidecar.socketPath, model: model, tally: tally)
        let (chunks, done, failures) = tally.snapshot
        let memory = sidecar.memory()
        let cpu = sidecar.cpuSeconds() - cpuBefore
        let ownCPU = MachineLoad.ownCPUSeconds() - ownCPUBefore

        result.add("\(label): streams completed", Double(done), "of \(total)", target: "all", met: done == total)
        result.add("\(label): wall time", wall * 1000, "ms")
        result.add("\(label): one stream alone", single, "ms")
        result.add("\(label): chunks per stream", Double(chunks) / Double(max(1, done)), "")
        result.add("\(label): chunks per second", Double(chunks) / wall, "/s")
        result.add("\(label): sidecar CPU", cpu, "s")
        result.add("\(label): sidecar CPU per chunk", chunks > 0 ? cpu / Double(chunks) * 1e6 : 0, "µs")
        result.add("\(label): bench CPU (upstream + clients)", ownCPU, "s")
        result.add("\(label): RSS before the burst", rssBefore / 1e6, "MB")
        result.add("\(label): peak RSS (VmHWM)", memory.peak / 1e6, "MB", below: 100)
        if let failure = failures.first { result.notes.append("\(label): \(failures.count) failed, first: \(failure)") }
    }

    private func request(id: String, model: String) -> JSONValue {
        [
            "type": "complete", "id": .string(id), "model": .string(model),
            "messages": [["role": "user", "content": "Stream twenty words."]],
        ]
    }

    /// Connects every client, then releases them together; returns the seconds until the last terminal frame.
    private func runClients(socket: String, model: String, tally: StreamTally) throws -> Double {
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        for index in 0..<connections {
            let ids = (0..<perConnection).map { "s\(index)-\($0)" }
            let requests = ids.map { request(id: $0, model: model) }
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
