import Foundation

/// What `provider-sidecar check-config FILE` does, minus argv and exit: validate the file exactly as
/// written (no environment overrides) and describe the result.
public enum ConfigCheck {
    public struct Outcome: Sendable, Equatable {
        /// 0 when the file is valid, 1 when it has problems.
        public var exitCode: Int32
        /// For stdout: the summary of a valid config (empty when invalid).
        public var report: String
        /// For stderr: every problem, one per line, or warnings about a valid config.
        public var diagnostics: String
    }

    /// Validates `file`. Warnings (not failures, since the daemon may run elsewhere): an `api_key_env`
    /// variable not set in `environment`, an `api_key_file` that cannot be read here or that others can read.
    public static func run(file: String, environment: [String: String]) -> Outcome {
        let config: Config
        do {
            config = try ConfigLoader.read(file: file, environment: environment)
        } catch {
            let count = error.problems.count
            return Outcome(
                exitCode: 1, report: "",
                diagnostics: "\(error.description)\n\(file): \(count) problem\(count == 1 ? "" : "s")\n")
        }
        var warnings: [String] = []
        for provider in config.providers {
            if let variable = provider.apiKeyEnv, (environment[variable] ?? "").isEmpty {
                warnings.append(
                    "warning: provider \(JSONPath.quoted(provider.name)): environment variable "
                        + "\(variable) is not set here")
            }
            if let keyFile = provider.apiKeyFile, !FileManager.default.isReadableFile(atPath: keyFile) {
                warnings.append(
                    "warning: provider \(JSONPath.quoted(provider.name)): api key file \(keyFile) "
                        + "cannot be read here (\(ConfigLoader.readFailure(keyFile)))")
            }
            if let warning = ConfigLoader.keyFileWarning(for: provider) { warnings.append("warning: " + warning) }
        }
        return Outcome(
            exitCode: 0, report: summary(of: config, file: file),
            diagnostics: warnings.map { $0 + "\n" }.joined())
    }

    /// A few readable lines: where it listens, what it talks to, and each agent's resolved chain.
    static func summary(of config: Config, file: String) -> String {
        var lines = ["\(file): valid"]
        for listener in config.listeners {
            let agent = listener.agent.map { " agent \($0)" } ?? " (unbound)"
            lines.append("  listen    \(listener.path) mode 0\(String(listener.mode, radix: 8))\(agent)")
        }
        lines.append("  ledger    \(config.ledgerPath)")
        for provider in config.providers.map(\.settings) {
            let url = provider.baseURL?.absoluteString ?? "in-process"
            let models = provider.models.isEmpty ? "any model" : provider.models.joined(separator: ", ")
            lines.append("  provider  \(provider.name) (\(provider.kind), \(url)): \(models)")
        }
        // The chains requests get: validation has checked every reference in them.
        let resolver = config.resolver
        for name in config.agents.keys.sorted() {
            let chain = ((try? resolver.chain(forAgent: name)) ?? []).map(\.description).joined(separator: " -> ")
            lines.append("  agent     \(name): \(chain)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
