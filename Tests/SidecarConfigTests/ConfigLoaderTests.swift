import Foundation
import SidecarConfig
import SidecarHTTP
import SidecarRegistry
import SidecarSpending
import SidecarTransport
import Testing

@Suite struct ConfigLoaderTests {
    /// A config naming only providers gets every documented default.
    /// Fractional durations reach their owners whole: `open_seconds: 0.5` is half a second, not zero.
    @Test func fractionalDurationsAreKept() throws {
        let config = try parse(
            #"""
            {"providers": [\#(providerA)], "circuit_breaker": {"open_seconds": 0.5},
             "limits": {"read_timeout_s": 1.25, "grace_s": 0.5}, "health_check": {"interval_s": 2.5}}
            """#)
        #expect(config.circuitBreaker.openDuration == .milliseconds(500))
        #expect(config.limits.readTimeout == .milliseconds(1_250))
        #expect(config.limits.grace == .milliseconds(500))
        #expect(config.healthCheck.interval == .milliseconds(2_500))
    }

    @Test func appliesDefaults() throws {
        let config = try parse(#"{"providers": [\#(providerA), {"name": "o", "kind": "openai", "api_key_env": "O"}]}"#)
        #expect(
            config.listeners == [ListenerSpec(path: "/run/user/1000/provider-sidecar/sidecar.sock", mode: 0o660)])
        #expect(config.ledgerPath == "/home/tester/.local/state/provider-sidecar/ledger.sqlite")
        #expect(
            config.limits
                == ServerLimits(
                    maxFrame: 8 * 1024 * 1024, maxConnections: 10_000,
                    outputBuffer: 4 * 1024 * 1024, readTimeout: .seconds(60), grace: .seconds(30)))
        #expect(config.circuitBreaker == BreakerSettings(failureThreshold: 5, openDuration: .seconds(30)))
        #expect(config.healthCheck == Config.HealthCheck(enabled: true, interval: .seconds(60)))
        #expect(config.logLevel == .info)
        #expect(config.aliases.isEmpty && config.pricing.prices.isEmpty && config.budgets.isEmpty)
        let anthropic = try #require(config.provider(named: "a"))
        #expect(anthropic.settings.baseURL?.absoluteString == "https://api.anthropic.com")
        #expect(
            anthropic.settings.timeouts
                == HTTPTimeouts(
                    connect: .seconds(10), firstByte: .seconds(60),
                    idle: .seconds(60), total: .seconds(600)))
        #expect(
            anthropic.route.maxRetries == 2 && anthropic.settings.promptCaching && anthropic.route.promptCaching
                && anthropic.settings.headers.isEmpty)
        #expect(anthropic.settings.maxResponseBytes == 32 << 20)
        #expect(anthropic.route.healthCheckInterval == .seconds(60))
        let openai = try #require(config.provider(named: "o"))
        #expect(openai.settings.baseURL?.absoluteString == "https://api.openai.com/v1")
        #expect(!openai.settings.promptCaching && !openai.route.promptCaching)
        // No `default` agent in the file: synthesized from the first model of each provider listing any.
        #expect(config.agents == ["default": AgentPolicy(models: ["a/m"])])
    }

    /// Every section's explicit values land in the config.
    @Test func readsEverySection() throws {
        let config = try ConfigLoader.read(file: repositoryRoot + "/examples/sidecar.json", environment: [:])
        #expect(
            config.listeners == [
                ListenerSpec(path: "/run/provider-sidecar/sidecar.sock", mode: 0o660),
                ListenerSpec(path: "/run/provider-sidecar/coder.sock", mode: 0o600, agent: "coder"),
            ])
        #expect(config.ledgerPath == "/var/lib/provider-sidecar/ledger.sqlite")
        #expect(config.providers.map(\.name) == ["anthropic", "openai", "simulated"])
        let openai = try #require(config.provider(named: "openai"))
        #expect(openai.apiKeyFile == "/run/secrets/openai_api_key" && openai.apiKeyEnv == nil)
        #expect(
            openai.settings.timeouts
                == HTTPTimeouts(
                    connect: .seconds(5), firstByte: .seconds(60),
                    idle: .seconds(60), total: .seconds(300)))
        #expect(openai.settings.headers == ["OpenAI-Organization": "org-example"])
        #expect(openai.settings.maxResponseBytes == 8 << 20)
        #expect(openai.route.healthCheckInterval == .seconds(120))
        let simulated = try #require(config.provider(named: "simulated"))
        #expect(simulated.settings.baseURL == nil && simulated.route.healthCheckInterval == nil)
        #expect(
            config.agents["coder"] == AgentPolicy(models: ["anthropic/claude-sonnet-4-6", "fast"], maxTokens: 8192))
        #expect(config.budgets == ["coder": Budget(tokensPerDay: 2_000_000, usdPerDay: 20, requestsPerMinute: 60)])
        #expect(config.aliases == ["fast": ["claude-haiku-4-5", "openai/gpt-5-mini"]])
        #expect(
            config.pricing.prices["openai/gpt-5"]
                == Pricing.Price(input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.5625, cacheWrite1h: 2.5))
        #expect(config.pricing.prices["anthropic/claude-sonnet-4-6"]?.cacheWrite == 3.75)
        #expect(config.pricing.prices["anthropic/claude-sonnet-4-6"]?.cacheWrite1h == 6)
    }

    /// A price without cache prices charges cache reads at the input price, 5-minute cache writes at 1.25 ×
    /// and 1-hour writes at 2 × the input price, as the README says.
    @Test func cachePricesDefault() throws {
        let config = try parse(#"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 3, "output": 15}}}"#)
        #expect(
            config.pricing.price(provider: "a", model: "m")
                == Pricing.Price(
                    input: 3, output: 15, cacheRead: 3, cacheWrite: 3.75, cacheWrite1h: 6, webSearchPer1000: 10))
    }

    /// Web searches default to Anthropic's 10 USD per 1000 for models of an Anthropic provider, 0 for others
    /// (which report none); `web_search_per_1000` overrides.
    @Test func webSearchPrice() throws {
        let config = try parse(
            #"{"providers": [\#(providerA), \#(providerB)], "pricing": {"a/m": {"input": 3, "output": 15},"#
                + #""b/m": {"input": 1, "output": 2}, "b/n": {"input": 1, "output": 2, "web_search_per_1000": 25}}}"#)
        #expect(config.pricing.price(provider: "a", model: "m")?.webSearchPer1000 == 10)
        #expect(config.pricing.price(provider: "b", model: "m")?.webSearchPer1000 == 0)
        #expect(config.pricing.price(provider: "b", model: "n")?.webSearchPer1000 == 25)
    }

    /// `cache_write_1h` is read like the other prices.
    @Test func oneHourCacheWritePrice() throws {
        let config = try parse(
            #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 3, "output": 15, "cache_write_1h": 5}}}"#)
        #expect(config.pricing.price(provider: "a", model: "m")?.cacheWrite1h == 5)
    }

    /// `long_context` is read with its threshold; its cache prices default from its own `input`.
    @Test func longContextPrice() throws {
        let config = try parse(
            #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 3, "output": 15, "long_context": "#
                + #"{"above_input_tokens": 200000, "input": 6, "output": 22.5, "cache_read": 0.6}}}}"#)
        #expect(
            config.pricing.price(provider: "a", model: "m")?.longContext
                == Pricing.LongContext(
                    aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12
                ))
    }

    /// examples/sidecar.json (pasted into the README) passes validation.
    @Test func exampleFileIsValid() throws {
        _ = try ConfigLoader.read(file: repositoryRoot + "/examples/sidecar.json", environment: testEnvironment)
    }

    /// One run reports every problem in the file, in a stable order, one per line.
    @Test func reportsAllProblemsAtOnce() {
        let json = #"""
            {
              "listen": [{"path": "/tmp/s.sock", "mode": "0999", "agent": "nobody"}],
              "providers": [
                {"name": "anthropic", "kind": "anthropic", "api_key_env": "ANTHROPIC_API_KEY", "models": ["claude"], "timout_s": 5},
                {"name": "b", "api_key_env": "B"}
              ],
              "agents": {"coder": {"models": ["antropic/claude"], "max_tokens": -1}},
              "limits": {"max_frame": 0},
              "log_level": "loud"
            }
            """#
        #expect(throws: ConfigError.self) { try parse(json) }
        do {
            _ = try parse(json)
        } catch {
            #expect(
                error.description == """
                    listen[0].mode: expected an octal file mode such as "0660", at most "0777"
                    listen[0].agent: unknown agent "nobody"
                    providers[0].timout_s: unknown key (did you mean "timeout_s"?)
                    providers[1].kind: missing
                    agents.coder.models[0]: unknown provider "antropic" (did you mean "anthropic"?)
                    agents.coder.max_tokens: must be at least 1
                    limits.max_frame: must be at least 1024
                    log_level: unknown level "loud" (expected error, warn, info, debug)
                    """)
        }
    }

    /// A key written twice in one object is an error at its path, even inside arrays and escaped keys.
    @Test func rejectsDuplicateKeys() {
        let json = #"""
            {"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"],
                            "timeout_s": 5, "timeout_s": 600}],
             "aliases": {"x\u0079": ["a/m"], "xy": ["a/m"]}, "limits": {"grace_s": -1}}
            """#
        #expect(
            problems(json) == [
                "providers[0].timeout_s: duplicate key (JSON keeps only one of them)",
                "aliases.xy: duplicate key (JSON keeps only one of them)",
                "limits.grace_s: must not be negative",
            ])
        #expect(
            problems(#"{"providers": [\#(providerA)], "ledger": {"path": "/l"}, "ledger": {"path": "/l"}}"#)
                == ["ledger: duplicate key (JSON keeps only one of them)"])
        // Brackets, commas and escaped quotes inside strings are not structure.
        let tricky =
            #"{"providers": [{"name": "o", "kind": "openai", "api_key_env": "K", "models": ["m"],"#
            + #" "headers": {"X-A": "}{,\\\"[", "X-B": "\"}, \"X-A\": 1"}}]}"#
        #expect(problems(tricky) == [])
    }

    /// Modes may be octal strings or integers written with octal digits; both mean what chmod means.
    @Test(arguments: [(#""0660""#, 0o660), (#""600""#, 0o600), ("660", 0o660), ("0", 0), (#""0777""#, 0o777)])
    func readsSocketMode(written: String, mode: Int) throws {
        let config = try parse(#"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/s", "mode": \#(written)}]}"#)
        #expect(config.listeners.first?.mode == UInt16(mode))
    }

    /// base_url loses trailing slashes; an OpenAI-compatible server on loopback needs no key.
    @Test func normalizesBaseURL() throws {
        let config = try parse(
            #"""
            {"providers": [{"name": "local", "kind": "openai", "base_url": "http://127.0.0.1:8080/v1/", "models": ["llama"]},
                           {"name": "r", "kind": "openai", "base_url": "https://openrouter.ai/api/v1", "api_key_env": "R"}]}
            """#)
        #expect(
            config.providers.map { $0.settings.baseURL?.absoluteString } == [
                "http://127.0.0.1:8080/v1", "https://openrouter.ai/api/v1",
            ])
        #expect(config.providers.first?.apiKeyEnv == nil && config.providers.first?.apiKeyFile == nil)
    }

    /// `~/` expands to HOME; relative paths resolve against the config file's directory.
    @Test func resolvesPaths() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/sidecar.json"
        try write(
            #"""
            {"listen": [{"path": "run/s.sock"}], "ledger": {"path": "~/ledger.sqlite"},
             "providers": [{"name": "a", "kind": "anthropic", "api_key_file": "keys/a", "models": ["m"]}]}
            """#, to: file)
        let config = try ConfigLoader.read(file: file, environment: ["HOME": "/home/tester"])
        #expect(config.listeners.first?.path == directory + "/run/s.sock")
        #expect(config.ledgerPath == "/home/tester/ledger.sqlite")
        #expect(config.providers.first?.apiKeyFile == directory + "/keys/a")
    }

    /// A missing config file is one clear problem naming the file.
    @Test func reportsMissingFile() {
        #expect(
            throws: ConfigError(problems: [
                ConfigProblem(
                    path: "",
                    message:
                        "cannot read config file /nonexistent/sidecar.json: no such file")
            ])
        ) {
            try ConfigLoader.read(file: "/nonexistent/sidecar.json", environment: [:])
        }
    }

    /// A file-level problem (bad JSON) names the file in place of a JSON path.
    @Test func fileProblemsNameTheFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("{", to: directory + "/bad.json")
        do {
            _ = try ConfigLoader.read(file: directory + "/bad.json", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.path == directory + "/bad.json")
            #expect(error.problems.first?.message.hasPrefix("not valid JSON") == true)
        }
    }
}
