/// Scenario `startup`: from spawning the binary to its socket accepting a connection, over fresh
/// directories (a new ledger file each time). The socket is polled every 200 µs.
struct StartupScenario {
    let runs: Int

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.startup)
        var samples: [UInt64] = []
        var idleRSS: [Double] = []
        for _ in 0..<runs {
            let sidecar = try BenchConfig(upstreamPort: 9).spawn()
            defer { sidecar.stop() }
            samples.append(try sidecar.waitUntilListening())
            idleRSS.append(sidecar.memory().rss)
        }
        let stats = Percentiles(samples)
        result.add("spawn to listening, median", stats.p50 / 1e6, "ms", below: 100)
        result.add("spawn to listening, max", stats.max / 1e6, "ms", below: 100)
        result.add("RSS just after start, median", Percentiles(idleRSS).p50 / 1e6, "MB")
        result.notes.append("\(runs) runs; each spawns the binary with a fresh config, ledger and socket directory")
        return result
    }
}
