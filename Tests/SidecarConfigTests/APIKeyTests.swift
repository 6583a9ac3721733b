import Foundation
import SidecarConfig
import SidecarProviders
import Testing

@Suite struct APIKeyTests {
    let provider = ProviderConfig(
        settings: ProviderSettings(name: "a", kind: "anthropic", models: ["m"]), apiKeyEnv: "A_KEY")

    /// The key comes from the named variable, trimmed.
    @Test func readsFromEnvironment() throws {
        #expect(
            try ConfigLoader.resolveAPIKey(for: provider, environment: ["A_KEY": " sk-ant-test-key\n"])
                == "sk-ant-test-key")
    }

    /// The key comes from the named file, trimmed of its trailing newline.
    @Test func readsFromFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("sk-test-key\n", to: directory + "/key")
        let fileProvider = ProviderConfig(
            settings: ProviderSettings(name: "o", kind: "openai"), apiKeyFile: directory + "/key")
        #expect(try ConfigLoader.resolveAPIKey(for: fileProvider, environment: [:]) == "sk-test-key")
        #expect(ConfigLoader.keyFileWarning(for: fileProvider) == nil)
    }

    /// A key file others can read resolves but yields a warning naming the file and its mode.
    @Test func warnsAboutWideKeyFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("sk-test-key", to: directory + "/key", mode: 0o644)
        let fileProvider = ProviderConfig(
            settings: ProviderSettings(name: "o", kind: "openai"), apiKeyFile: directory + "/key")
        #expect(try ConfigLoader.resolveAPIKey(for: fileProvider, environment: [:]) == "sk-test-key")
        let warning = try #require(ConfigLoader.keyFileWarning(for: fileProvider))
        #expect(warning.contains("mode 0644") && warning.contains(directory + "/key") && !warning.contains("sk-test"))
    }

    /// Providers without a key source (simulated) resolve to nil.
    @Test func simulatedNeedsNoKey() throws {
        let simulated = ProviderConfig(settings: ProviderSettings(name: "s", kind: "simulated", models: ["sim-1"]))
        #expect(try ConfigLoader.resolveAPIKey(for: simulated, environment: [:]) == nil)
    }

    /// Each failure names the variable or file and never the value.
    @Test(arguments: [
        (["B": "x"], #"provider "a": environment variable A_KEY is not set"#),
        (["A_KEY": "  \n"], #"provider "a": environment variable A_KEY is empty"#),
        (
            ["A_KEY": "sk-ant-test-key\r\nX-Evil: 1"],
            #"provider "a": environment variable A_KEY holds line breaks or control characters inside the key"#
        ),
    ])
    func reportsEnvironmentProblems(environment: [String: String], message: String) {
        #expect(throws: ConfigError(message)) {
            try ConfigLoader.resolveAPIKey(for: provider, environment: environment)
        }
    }

    /// A missing or empty key file is named in the error.
    @Test func reportsFileProblems() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("\n", to: directory + "/empty")
        let missing = ProviderConfig(
            settings: ProviderSettings(name: "o", kind: "openai"), apiKeyFile: directory + "/none")
        #expect(throws: ConfigError(#"provider "o": cannot read api key file \#(directory)/none: no such file"#)) {
            try ConfigLoader.resolveAPIKey(for: missing, environment: [:])
        }
        let empty = ProviderConfig(
            settings: ProviderSettings(name: "o", kind: "openai"), apiKeyFile: directory + "/empty")
        #expect(throws: ConfigError(#"provider "o": api key file \#(directory)/empty is empty"#)) {
            try ConfigLoader.resolveAPIKey(for: empty, environment: [:])
        }
    }

    /// resolveAPIKeys returns every provider's key, or every provider's problem at once.
    @Test func resolvesAllKeys() throws {
        let config = try parse(
            #"{"providers": [\#(providerA), \#(providerB), {"name": "s", "kind": "simulated"}], "agents": {"default": {"models": ["a/m"]}}}"#
        )
        #expect(
            try ConfigLoader.resolveAPIKeys(
                for: config, environment: ["A_KEY": "sk-ant-test-key", "B_KEY": "sk-test-key"])
                == ["a": "sk-ant-test-key", "b": "sk-test-key"])
        #expect(
            throws: ConfigError(problems: [
                ConfigProblem(path: "", message: #"provider "a": environment variable A_KEY is not set"#),
                ConfigProblem(path: "", message: #"provider "b": environment variable B_KEY is not set"#),
            ])
        ) {
            try ConfigLoader.resolveAPIKeys(for: config, environment: [:])
        }
    }
}
