import SidecarProtocol
import SidecarSimulator

/// Scenario `first-chunk`: time to the first piece of answer text, calling the simulated upstream directly
/// (raw keep-alive HTTP/1.1) versus through the sidecar (`complete` to the first `chunk` frame). Direct and
/// sidecar requests alternate one by one against the same upstream, so both see the same machine load.
struct FirstChunkScenario {
    let count: Int
    let warmup: Int
    private let prompt = "Say hello to the benchmark."

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.firstChunk)
        let upstream = SimulatedUpstream(pacingMilliseconds: 0)
        let port = try upstream.start()
        defer { upstream.stop() }
        let sidecar = try BenchConfig(upstreamPort: port).spawn()
        defer { sidecar.stop() }
        try sidecar.waitUntilListening()
        for kind in UpstreamKind.allCases {
            let (directSamples, viaSamples) = try measure(kind, port: port, socket: sidecar.socketPath)
            upstream.reset()
            let direct = Percentiles(directSamples)
            let via = Percentiles(viaSamples)
            let paired = Percentiles(zip(viaSamples, directSamples).map { Double($0) - Double($1) })
            result.addLatencies("\(kind) direct", direct)
            result.addLatencies("\(kind) via sidecar", via)
            result.add("\(kind) added p50 (p50 via - p50 direct)", (via.p50 - direct.p50) / 1000, "µs", below: 150)
            result.add("\(kind) added p99 (p99 via - p99 direct)", (via.p99 - direct.p99) / 1000, "µs", below: 1000)
            result.add("\(kind) paired difference p50", paired.p50 / 1000, "µs")
            result.add("\(kind) paired difference p99", paired.p99 / 1000, "µs")
        }
        result.notes.append(
            "\(count) requests each way per kind after \(warmup) warm-up, sequential and interleaved; upstream "
                + "pacing 0; direct = raw socket HTTP/1.1 keep-alive to the first content delta")
        return result
    }

    /// Alternates one direct and one sidecar request; returns both samples in nanoseconds, pair by pair.
    private func measure(_ kind: UpstreamKind, port: UInt16, socket: String) throws -> ([UInt64], [UInt64]) {
        let direct = try HTTPStreamClient(port: port)
        let connection = try UnixConnection(path: socket)
        let request = kind.directRequest(port: port, prompt: prompt)
        var directSamples: [UInt64] = []
        var viaSamples: [UInt64] = []
        for index in -warmup..<count {
            let directTime = try direct.timeToMarker(request, marker: kind.firstDeltaMarker)
            let viaTime = try firstChunk(connection, id: "f\(index)", model: kind.sidecarModel)
            if index >= 0 {
                directSamples.append(directTime)
                viaSamples.append(viaTime)
            }
        }
        return (directSamples, viaSamples)
    }

    /// Sends one `complete` and reads it to its end; returns the time from the send to the first `chunk`.
    private func firstChunk(_ connection: UnixConnection, id: String, model: String) throws -> UInt64 {
        let message = connection.encode([
            "type": "complete", "id": .string(id), "model": .string(model),
            "messages": [["role": "user", "content": .string(prompt)]],
        ])
        let start = Monotonic.now()
        try connection.send(message)
        var first: UInt64?
        while true {
            let payload = try connection.next()
            let now = Monotonic.now()
            let reply = try JSONValue.parse(payload)
            switch reply["type"]?.stringValue {
            case "chunk": if first == nil { first = now }
            case "done":
                guard let first else { throw BenchError("\(id) ended without a chunk") }
                return first - start
            default: throw BenchError("\(id) failed: \(reply)")
            }
        }
    }
}
