/// The sidecar config every scenario uses: the real Anthropic and OpenAI provider code pointed at the
/// simulated upstream on 127.0.0.1, plus the built-in `simulated` provider; health checks off (they would
/// add upstream traffic), no retries.
struct BenchConfig {
    /// The simulated upstream's port; scenarios that never call upstream may pass any port.
    var upstreamPort: UInt16
    /// Above the 10,000 idle connections of the `idle` scenario (the sidecar's default is exactly 10,000).
    var maxConnections = 10_500

    static let anthropicKeyVariable = "BENCH_ANTHROPIC_KEY"
    static let openAIKeyVariable = "BENCH_OPENAI_KEY"
    /// The fake keys the simulated upstream accepts.
    static let environment = [anthropicKeyVariable: "sk-ant-test-key", openAIKeyVariable: "sk-test-key"]

    static let anthropicModel = "anthropic/claude-bench"
    static let openAIModel = "openai/gpt-bench"
    /// The built-in `simulated` provider without pauses: the sidecar's own path with no HTTP.
    static let simulatedModel = "sim/sim-fast"
    /// The built-in `simulated` provider with 10 ms between deltas.
    static let simulatedPacedModel = "sim/sim-pace-10"

    func json(directory: String) -> String {
        """
        {
          "listen": [{"path": "\(directory)/sidecar.sock"}],
          "ledger": {"path": "\(directory)/ledger.sqlite"},
          "providers": [
            {"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(upstreamPort)",
             "api_key_env": "\(Self.anthropicKeyVariable)", "models": ["claude-bench"], "max_retries": 0},
            {"name": "openai", "kind": "openai", "base_url": "http://127.0.0.1:\(upstreamPort)/v1",
             "api_key_env": "\(Self.openAIKeyVariable)", "models": ["gpt-bench"], "max_retries": 0},
            {"name": "sim", "kind": "simulated", "models": ["sim-fast", "sim-pace-10"]}
          ],
          "agents": {
            "default": {
              "models": ["\(Self.anthropicModel)", "\(Self.openAIModel)", "\(Self.simulatedModel)",
                         "\(Self.simulatedPacedModel)"]
            }
          },
          "health_check": {"enabled": false},
          "limits": {"max_connections": \(maxConnections), "grace_s": 1}
        }
        """
    }

    /// Starts the sidecar with this config.
    func spawn() throws -> SidecarUnderTest {
        try SidecarUnderTest(environment: Self.environment) { json(directory: $0) }
    }
}
