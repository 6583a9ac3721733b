import SidecarFraming
import SidecarProtocol

/// Scenario `ping`: round trips of `ping` / `pong` over one connection, one at a time, in framed and in line
/// mode. This is the floor of the sidecar's per-message cost: framing, dispatch and one write.
struct PingScenario {
    let count: Int

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.ping)
        let sidecar = try BenchConfig(upstreamPort: 9).spawn()
        defer { sidecar.stop() }
        try sidecar.waitUntilListening()
        for (mode, label) in [(WireMode.framed, "framed"), (.lines, "line mode")] {
            let stats = try roundTrips(socket: sidecar.socketPath, mode: mode)
            result.addLatencies("\(label) round trip", stats)
        }
        result.notes.append("\(count) pings per mode after \(warmup) warm-up pings, one connection, sequential")
        return result
    }

    private var warmup: Int { min(1000, count / 10) }

    private func roundTrips(socket: String, mode: WireMode) throws -> Percentiles {
        let connection = try UnixConnection(path: socket, mode: mode)
        let ping = connection.encode(["type": "ping", "id": "p"])
        try connection.send(ping)
        let first = try connection.nextMessage()
        guard first["type"] == "pong", first["id"] == "p" else { throw BenchError("expected a pong, got \(first)") }
        var samples = [UInt64](repeating: 0, count: count)
        for index in -warmup..<count {
            let start = Monotonic.now()
            try connection.send(ping)
            _ = try connection.next()
            if index >= 0 { samples[index] = Monotonic.now() - start }
        }
        return Percentiles(samples)
    }
}
