import Foundation
import SidecarConfig
import SidecarProviders
import SidecarRegistry
import SidecarTransport
import Testing

@Suite struct EnvironmentTests {
    /// With no config file, a key in the environment yields that provider and a default agent using it.
    @Test func defaultConfigUsesKeysThatAreSet() throws {
        let config = ConfigLoader.defaultConfig(
            environment: testEnvironment.merging(
                ["ANTHROPIC_API_KEY": "sk-ant-test-key", "OPENAI_API_KEY": "sk-test-key"]) { $1 })
        #expect(config.providers.map(\.name) == ["anthropic", "openai"])
        #expect(config.providers.map(\.settings.kind) == ["anthropic", "openai"])
        #expect(config.providers.map(\.apiKeyEnv) == ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"])
        #expect(config.agents["default"]?.models == ["anthropic/claude-sonnet-4-6", "openai/gpt-5"])
        #expect(
            try config.resolver.chain(forAgent: "default") == [
                Candidate(provider: "anthropic", model: "claude-sonnet-4-6"),
                Candidate(provider: "openai", model: "gpt-5"),
            ])
        #expect(!String(describing: config).contains("sk-"))
    }

    /// With only one key, only that provider is configured.
    @Test func defaultConfigWithOneKey() {
        let config = ConfigLoader.defaultConfig(environment: ["OPENAI_API_KEY": "sk-test-key", "ANTHROPIC_API_KEY": ""])
        #expect(config.providers.map(\.name) == ["openai"])
        #expect(config.agents["default"]?.models == ["openai/gpt-5"])
    }

    /// With no key at all, the simulated provider answers so `serve` still works.
    @Test func defaultConfigWithoutKeysIsSimulated() {
        let config = ConfigLoader.defaultConfig(environment: testEnvironment)
        #expect(
            config.providers == [
                ProviderConfig(settings: ProviderSettings(name: "simulated", kind: "simulated", models: ["sim-1"]))
            ])
        #expect(config.agents == ["default": AgentPolicy(models: ["simulated/sim-1"])])
        #expect(config.listeners == [ListenerSpec(path: "/run/user/1000/provider-sidecar/sidecar.sock")])
        #expect(config.ledgerPath == "/home/tester/.local/state/provider-sidecar/ledger.sqlite")
    }

    /// Default paths follow XDG_STATE_HOME, and fall back to /tmp/provider-sidecar-$UID without XDG or HOME.
    @Test func defaultPathsFallBack() {
        let xdg = ConfigLoader.defaultConfig(environment: ["XDG_STATE_HOME": "/state/", "XDG_RUNTIME_DIR": "relative"])
        #expect(xdg.ledgerPath == "/state/provider-sidecar/ledger.sqlite")
        let temporary = "/tmp/provider-sidecar-\(getuid())"
        #expect(xdg.listeners.first?.path == temporary + "/sidecar.sock")
        let bare = ConfigLoader.defaultConfig(environment: [:])
        #expect(bare.ledgerPath == temporary + "/ledger.sqlite")
    }

    /// PROVIDER_SIDECAR_SOCKET / _LEDGER / _LOG_LEVEL replace the file's values; the socket becomes one unbound listener.
    @Test func environmentOverridesTheFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write(
            #"""
            {"listen": [{"path": "/tmp/a.sock", "agent": "default"}, {"path": "/tmp/b.sock"}],
             "ledger": {"path": "/tmp/file.sqlite"}, "providers": [\#(providerA)], "log_level": "warn"}
            """#, to: directory + "/c.json")
        let environment = [
            "PROVIDER_SIDECAR_CONFIG": directory + "/c.json", "PROVIDER_SIDECAR_SOCKET": "/tmp/env.sock",
            "PROVIDER_SIDECAR_LEDGER": "/tmp/env.sqlite", "PROVIDER_SIDECAR_LOG_LEVEL": "DEBUG",
        ]
        let config = try ConfigLoader.load(path: nil, environment: environment)
        #expect(config.listeners == [ListenerSpec(path: "/tmp/env.sock", mode: 0o660, agent: nil)])
        #expect(config.ledgerPath == "/tmp/env.sqlite")
        #expect(config.logLevel == .debug)
        #expect(config.providers.map(\.name) == ["a"])
    }

    /// An explicit path wins over PROVIDER_SIDECAR_CONFIG; flags applied afterwards win over the environment.
    @Test func flagsWinOverEnvironment() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write(#"{"providers": [\#(providerA)]}"#, to: directory + "/flag.json")
        let environment = [
            "PROVIDER_SIDECAR_CONFIG": directory + "/missing.json", "PROVIDER_SIDECAR_SOCKET": "/tmp/env.sock",
        ]
        let flags = ConfigOverrides(socket: "/tmp/flag.sock", ledger: "/tmp/flag.sqlite")
        let config = try ConfigLoader.load(path: directory + "/flag.json", environment: environment).applying(flags)
        #expect(config.listeners == [ListenerSpec(path: "/tmp/flag.sock")])
        #expect(config.ledgerPath == "/tmp/flag.sqlite")
        var flagged = try ConfigLoader.load(path: directory + "/flag.json", environment: environment)
        ConfigLoader.applyOverrides(&flagged, socket: "/tmp/flag.sock", ledger: nil)
        #expect(flagged.listeners == [ListenerSpec(path: "/tmp/flag.sock")])
        #expect(flagged.ledgerPath == "/tmp/provider-sidecar-\(getuid())/ledger.sqlite")
        let merged = try ConfigOverrides(environment: environment).overridden(by: flags)
        #expect(
            merged
                == ConfigOverrides(
                    configPath: directory + "/missing.json", socket: "/tmp/flag.sock",
                    ledger: "/tmp/flag.sqlite"))
    }

    /// With no file and no PROVIDER_SIDECAR_CONFIG, load gives the default config plus environment overrides.
    @Test func loadWithoutFileUsesDefault() throws {
        let config = try ConfigLoader.load(path: nil, environment: ["PROVIDER_SIDECAR_LEDGER": "/tmp/x.sqlite"])
        #expect(config.providers.map(\.settings.kind) == ["simulated"])
        #expect(config.ledgerPath == "/tmp/x.sqlite")
    }

    /// A bad override and a bad file are reported together.
    @Test func reportsBadOverridesWithFileProblems() {
        let environment = [
            "PROVIDER_SIDECAR_LOG_LEVEL": "chatty", "PROVIDER_SIDECAR_CONFIG": "/nonexistent.json",
            "PROVIDER_SIDECAR_SOCKET": "/" + String(repeating: "s", count: 200),
        ]
        #expect(
            throws: ConfigError(problems: [
                ConfigProblem(
                    path: "PROVIDER_SIDECAR_SOCKET",
                    message: "longer than 107 bytes, the limit for a Unix socket path"),
                ConfigProblem(
                    path: "PROVIDER_SIDECAR_LOG_LEVEL",
                    message: #"unknown level "chatty" (expected error, warn, info, debug)"#),
                ConfigProblem(path: "", message: "cannot read config file /nonexistent.json: no such file"),
            ])
        ) {
            try ConfigLoader.load(path: nil, environment: environment)
        }
    }
}
