import SidecarHTTP
import SidecarProtocol
import SidecarSimulator

/// Scenario `first-chunk`: time to the first piece of answer text, calling the simulated upstream directly
/// versus through the sidecar (`complete` to the first `chunk` frame). The direct baseline is a raw
/// keep-alive HTTP/1.1 socket; the sidecar's own HTTP clients (`SocketHTTPTransport`, which it uses for the
/// upstream's http:// URL, and `URLSessionTransport`, which it would use for https://, both in this process)
/// are measured too, to show how much of the overhead they account for, and so is the sidecar with its
/// built-in `simulated` provider, which has no HTTP at all. The paths alternate request by request against the same
/// upstream, so all see the same machine load.
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
        let connection = try UnixConnection(path: sidecar.socketPath)
        let socketProbe = TransportProbe(SocketHTTPTransport())
        let sessionProbe = TransportProbe(URLSessionTransport())
        for kind in UpstreamKind.allCases {
            let raw = try HTTPStreamClient(port: port)
            let rawRequest = kind.rawRequest(port: port, prompt: prompt)
            let httpRequest = try kind.httpRequest(port: port, prompt: prompt)
            var samples = Samples()
            for index in -warmup..<count {
                let direct = try raw.timeToMarker(rawRequest, marker: kind.firstDeltaMarker)
                let socket = try socketProbe.timeToMarker(httpRequest, marker: kind.firstDeltaMarker)
                let session = try sessionProbe.timeToMarker(httpRequest, marker: kind.firstDeltaMarker)
                let via = try firstChunk(connection, id: "f\(index)", model: kind.sidecarModel)
                if index >= 0 { samples.append(direct: direct, socket: socket, session: session, via: via) }
            }
            upstream.reset()
            samples.report(kind.rawValue, into: &result)
        }
        var simulated: [UInt64] = []
        for index in -warmup..<count {
            let time = try firstChunk(connection, id: "s\(index)", model: BenchConfig.simulatedModel)
            if index >= 0 { simulated.append(time) }
        }
        result.addLatencies("sidecar, simulated provider (no HTTP)", Percentiles(simulated))
        result.notes.append(
            "\(count) requests per path and kind after \(warmup) warm-up, sequential, paths interleaved; upstream "
                + "pacing 0; direct = raw socket HTTP/1.1 keep-alive, timed to the first content delta")
        return result
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

    /// The three paths' times for one kind, request by request (nanoseconds).
    private struct Samples {
        var direct: [UInt64] = []
        var socket: [UInt64] = []
        var session: [UInt64] = []
        var via: [UInt64] = []

        mutating func append(direct: UInt64, socket: UInt64, session: UInt64, via: UInt64) {
            self.direct.append(direct)
            self.socket.append(socket)
            self.session.append(session)
            self.via.append(via)
        }

        func report(_ kind: String, into result: inout ScenarioResult) {
            let direct = Percentiles(direct)
            let viaSidecar = Percentiles(via)
            let paired = Percentiles(zip(via, self.direct).map { Double($0) - Double($1) })
            result.addLatencies("\(kind) direct, raw socket", direct)
            result.addLatencies("\(kind) direct, SocketHTTPTransport", Percentiles(socket))
            result.addLatencies("\(kind) direct, URLSessionTransport", Percentiles(session))
            result.addLatencies("\(kind) via sidecar", viaSidecar)
            result.add("\(kind) added p50 (p50 via - p50 raw)", (viaSidecar.p50 - direct.p50) / 1000, "µs", below: 150)
            result.add("\(kind) added p99 (p99 via - p99 raw)", (viaSidecar.p99 - direct.p99) / 1000, "µs", below: 1000)
            result.add("\(kind) paired difference p50", paired.p50 / 1000, "µs")
            result.add("\(kind) paired difference p99", paired.p99 / 1000, "µs")
        }
    }
}
