import Foundation
import SidecarEventLoop
import SidecarProtocol
import SidecarRegistry
import SidecarTransport

/// Turns a parsed JSON document into a `Config`, collecting every problem on the way (see `ProblemLog`).
/// Sections are read in a fixed order (providers before the agents, aliases and pricing that refer to
/// them), whatever order the file uses. When a value is wrong, a stand-in keeps later cross-checks from
/// reporting mere consequences of it; the config is discarded anyway once any problem is logged.
struct ConfigParser {
    let log = ProblemLog()
    let environment: [String: String]
    /// Directory relative paths are resolved against (the config file's); nil keeps them as written.
    let baseDirectory: String?

    static let topLevelKeys = [
        "listen", "ledger", "providers", "agents", "aliases", "pricing", "circuit_breaker", "health_check",
        "limits", "log_level",
    ]

    func parse(_ root: JSONValue) throws(ConfigError) -> Config {
        guard let top = ObjectReader(root, path: "", log: log) else {
            throw ConfigError("the config must be a JSON object, got \(root.typeName)")
        }
        top.rejectUnknownKeys(known: Self.topLevelKeys)
        let paths = DefaultPaths(environment: environment)
        let listenValues = parseListeners(top)
        let ledgerPath = top.object("ledger").flatMap(parseLedger) ?? paths.ledger
        let health = parseHealthCheck(top.object("health_check"), over: Config.HealthCheck())
        let problemsBeforeProviders = log.problems.count
        let providers = parseProviders(top, health: health)
        let providersValid = log.problems.count == problemsBeforeProviders
        var config = Config(
            listeners: [], ledgerPath: ledgerPath, providers: providers, agents: [:],
            circuitBreaker: top.object("circuit_breaker").map(parseCircuitBreaker) ?? BreakerSettings(),
            healthCheck: health, limits: top.object("limits").map(parseLimits) ?? ServerLimits(),
            logLevel: parseLogLevel(top) ?? ConfigDefaults.logLevel)
        config.aliases = parseAliases(top, config: config)
        (config.agents, config.budgets) = parseAgents(top, config: config, providersValid: providersValid)
        let listeners = checkListenerAgents(listenValues, agents: config.agents)
        config.listeners = listeners ?? [ListenerSpec(path: paths.socket)]
        config.pricing = parsePricing(top, config: config)
        try log.check(sectionOrder: Self.topLevelKeys)
        return config
    }

    // MARK: Paths

    /// `~/x` -> `$HOME/x`; a relative path -> under `baseDirectory` when there is one.
    func expand(_ path: String, at jsonPath: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            guard let home = environment["HOME"], !home.isEmpty else {
                log.add(jsonPath, "uses ~ but HOME is not set")
                return path
            }
            return home + path.dropFirst()
        }
        if !path.hasPrefix("/"), let baseDirectory {
            return (baseDirectory as NSString).appendingPathComponent(path)
        }
        return path
    }

    // MARK: listen, ledger

    /// The listeners as read, or nil when `listen` is absent; agents are checked later.
    private func parseListeners(_ top: ObjectReader) -> [(path: String, listener: ListenerSpec)]? {
        guard let items = top.array("listen") else { return nil }
        if items.isEmpty { top.fail("listen", "must list at least one socket") }
        var listeners: [(path: String, listener: ListenerSpec)] = []
        for (index, item) in items.enumerated() {
            let path = JSONPath.index("listen", index)
            guard let reader = ObjectReader(item, path: path, log: log) else { continue }
            reader.rejectUnknownKeys(known: ["path", "mode", "agent"])
            let mode = reader.value("mode").flatMap { parseMode($0, at: reader.name("mode")) }
            let agent = reader.string("agent")
            guard let written = reader.string("path", required: true) else { continue }
            let socketPath = expand(written, at: reader.name("path"))
            if socketPath.utf8.count > UnixSocketAddress.maxPathLength {
                reader.fail(
                    "path", "longer than \(UnixSocketAddress.maxPathLength) bytes, the limit for a Unix socket path")
            } else if let other = listeners.first(where: { $0.listener.path == socketPath }) {
                reader.fail("path", "duplicate socket path (also \(other.path))")
            } else {
                let listener = ListenerSpec(path: socketPath, mode: mode ?? ListenerSpec.defaultMode, agent: agent)
                listeners.append((path, listener))
            }
        }
        return listeners
    }

    /// A mode as an octal string (`"0660"`, `"660"`) or an integer read as octal digits (`660`), so
    /// both spellings mean what `chmod 660` means; at most 0777 (no setuid, setgid or sticky bits).
    private func parseMode(_ value: JSONValue, at path: String) -> UInt16? {
        let digits: String
        switch value {
        case .string(let text): digits = text
        case .number: digits = value.intValue.map(String.init) ?? "x"
        default:
            log.add(path, "expected octal string such as \"0660\", got \(value.typeName)")
            return nil
        }
        let octal = digits.count > 3 && digits.hasPrefix("0") ? String(digits.dropFirst()) : digits
        guard (1...3).contains(octal.count), let mode = UInt16(octal, radix: 8) else {
            log.add(path, "expected an octal file mode such as \"0660\", at most \"0777\"")
            return nil
        }
        return mode
    }

    private func checkListenerAgents(
        _ listeners: [(path: String, listener: ListenerSpec)]?,
        agents: [String: AgentPolicy]
    ) -> [ListenerSpec]? {
        guard let listeners else { return nil }
        for (path, listener) in listeners {
            if let agent = listener.agent, agents[agent] == nil {
                log.add(
                    JSONPath.child(path, "agent"),
                    "unknown agent \(JSONPath.quoted(agent))" + Suggestion.hint(for: agent, in: agents.keys.sorted()))
            }
        }
        return listeners.map(\.listener)
    }

    private func parseLedger(_ reader: ObjectReader) -> String? {
        reader.rejectUnknownKeys(known: ["path"])
        return reader.string("path", required: true).map { expand($0, at: reader.name("path")) }
    }

    // MARK: Registry and server settings

    func parseHealthCheck(_ reader: ObjectReader?, over base: Config.HealthCheck) -> Config.HealthCheck {
        guard let reader else { return base }
        reader.rejectUnknownKeys(known: ["enabled", "interval_s"])
        return Config.HealthCheck(
            enabled: reader.bool("enabled") ?? base.enabled,
            interval: reader.seconds("interval_s") ?? base.interval)
    }

    private func parseCircuitBreaker(_ reader: ObjectReader) -> BreakerSettings {
        reader.rejectUnknownKeys(known: ["failure_threshold", "open_seconds"])
        let defaults = BreakerSettings()
        return BreakerSettings(
            failureThreshold: reader.int("failure_threshold", in: 1...1000) ?? defaults.failureThreshold,
            openDuration: reader.seconds("open_seconds") ?? defaults.openDuration)
    }

    private func parseLimits(_ reader: ObjectReader) -> ServerLimits {
        reader.rejectUnknownKeys(known: ["max_frame", "max_connections", "output_buffer", "read_timeout_s", "grace_s"])
        let defaults = ServerLimits()
        return ServerLimits(
            maxFrame: reader.int("max_frame", in: 1024...(1 << 30)) ?? defaults.maxFrame,
            maxConnections: reader.int("max_connections", in: 1...1_000_000) ?? defaults.maxConnections,
            outputBuffer: reader.int("output_buffer", in: 1024...(1 << 30)) ?? defaults.outputBuffer,
            readTimeout: reader.seconds("read_timeout_s") ?? defaults.readTimeout,
            grace: reader.seconds("grace_s", allowZero: true) ?? defaults.grace)
    }

    private func parseLogLevel(_ top: ObjectReader) -> LogLevel? {
        guard let text = top.string("log_level") else { return nil }
        guard let level = LogLevel(rawValue: text) else {
            top.fail("log_level", LogLevel.problem(text))
            return nil
        }
        return level
    }
}

extension LogLevel {
    /// The message for a value that is not a level.
    static func problem(_ text: String) -> String {
        "unknown level \(JSONPath.quoted(text)) (expected \(allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}
