/// Scenario `startup`: from spawning the binary to its socket accepting a connection, over fresh
/// directories (a new ledger file each time). The socket is polled every 200 µs.
struct StartupScenario {
    let runs: Int

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.startup)
        var samples: [UInt64] = []
        var idleRSS: [Double] = []
        var lostSignals = 0
        for _ in 0..<runs {
            let sidecar = try BenchConfig(upstreamPort: 9).spawn()
            do {
                samples.append(try sidecar.waitUntilListening())
                idleRSS.append(sidecar.memory().rss)
            } catch {
                sidecar.stop()
                throw error
            }
            // Stopped at once: a supervisor may stop a daemon right after it starts.
            lostSignals += sidecar.stop() > 0 ? 1 : 0
        }
        let stats = Percentiles(samples)
        result.add("spawn to listening, median", stats.p50 / 1e6, "ms", below: 100)
        result.add("spawn to listening, max", stats.max / 1e6, "ms", below: 100)
        result.add("RSS just after start, median", Percentiles(idleRSS).p50 / 1e6, "MB")
        result.add(
            "SIGTERM at once after listening lost", Double(lostSignals), "of \(runs)", target: "0",
            met: lostSignals == 0)
        result.notes.append(
            "\(runs) runs; each spawns the binary with a fresh config, ledger and socket directory, and sends "
                + "SIGTERM as soon as a connection succeeds (repeated every 2 s until it exits)")
        return result
    }
}
