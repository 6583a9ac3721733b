import SidecarEventLoop
import SidecarTransport

/// Values that replace parts of the config file: from the environment (`PROVIDER_SIDECAR_*`) and from
/// the command line (`--socket`, `--ledger`). Flags win: `environment.overridden(by: flags)`.
public struct ConfigOverrides: Sendable, Equatable {
    /// The config file to load (`PROVIDER_SIDECAR_CONFIG`, `--config`).
    public var configPath: String?
    /// Replaces every listener with one unbound listener here, mode 0660.
    public var socket: String?
    /// Replaces the ledger path.
    public var ledger: String?
    public var logLevel: LogLevel?

    public init(configPath: String? = nil, socket: String? = nil, ledger: String? = nil, logLevel: LogLevel? = nil) {
        self.configPath = configPath
        self.socket = socket
        self.ledger = ledger
        self.logLevel = logLevel
    }

    /// Reads `PROVIDER_SIDECAR_CONFIG`, `_SOCKET`, `_LEDGER` and `_LOG_LEVEL`; empty values count as unset.
    public init(environment: [String: String]) throws(ConfigError) {
        let (overrides, problems) = Self.read(environment)
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        self = overrides
    }

    /// The overrides with the valid values, and the problems of the others.
    static func read(_ environment: [String: String]) -> (ConfigOverrides, [ConfigProblem]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var overrides = ConfigOverrides(
            configPath: value(ConfigDefaults.configVariable),
            ledger: value(ConfigDefaults.ledgerVariable))
        var problems: [ConfigProblem] = []
        if let socket = value(ConfigDefaults.socketVariable) {
            if socket.utf8.count > UnixSocketAddress.maxPathLength {
                problems.append(
                    ConfigProblem(
                        path: ConfigDefaults.socketVariable,
                        message:
                            "longer than \(UnixSocketAddress.maxPathLength) bytes, the limit for a Unix socket path"))
            } else {
                overrides.socket = socket
            }
        }
        if let text = value(ConfigDefaults.logLevelVariable) {
            overrides.logLevel = LogLevel(rawValue: text.lowercased())
            if overrides.logLevel == nil {
                problems.append(ConfigProblem(path: ConfigDefaults.logLevelVariable, message: LogLevel.problem(text)))
            }
        }
        return (overrides, problems)
    }

    /// These overrides with every value `other` sets replacing this one's.
    public func overridden(by other: ConfigOverrides) -> ConfigOverrides {
        ConfigOverrides(
            configPath: other.configPath ?? configPath, socket: other.socket ?? socket,
            ledger: other.ledger ?? ledger, logLevel: other.logLevel ?? logLevel)
    }
}

extension Config {
    /// This config with the overrides applied (`configPath` is the loader's business and ignored here).
    public func applying(_ overrides: ConfigOverrides) -> Config {
        var config = self
        if let socket = overrides.socket { config.listeners = [ListenerSpec(path: socket)] }
        if let ledger = overrides.ledger { config.ledgerPath = ledger }
        if let level = overrides.logLevel { config.logLevel = level }
        return config
    }
}

extension ConfigLoader {
    /// Applies the command-line `--socket` / `--ledger` flags, which win over the environment (already
    /// applied by `load`).
    public static func applyOverrides(_ config: inout Config, socket: String?, ledger: String?) {
        config = config.applying(ConfigOverrides(socket: socket, ledger: ledger))
    }
}
