import Foundation
import SidecarProtocol

/// Loads and validates the config. Every entry point reports all problems at once in `ConfigError`.
public enum ConfigLoader {
    /// The config the daemon runs with: the file at `path`, else the one `PROVIDER_SIDECAR_CONFIG` names,
    /// else `defaultConfig(environment:)`; then the environment overrides (`ConfigOverrides`) applied.
    /// Command-line flags go on top with `applyOverrides(_:socket:ledger:)`.
    public static func load(path: String?, environment: [String: String]) throws(ConfigError) -> Config {
        var (overrides, problems) = ConfigOverrides.read(environment)
        var config: Config?
        do {
            if let file = path ?? overrides.configPath {
                config = try read(file: file, environment: environment)
            } else {
                config = defaultConfig(environment: environment)
            }
        } catch {
            problems += error.problems
        }
        guard problems.isEmpty, let config else { throw ConfigError(problems: problems) }
        return config.applying(overrides)
    }

    /// The config in one file, exactly as written (no environment overrides): what `check-config` checks.
    /// Relative paths in it are resolved against the file's directory.
    public static func read(file: String, environment: [String: String]) throws(ConfigError) -> Config {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw ConfigError("cannot read config file \(file): \(readFailure(file))")
        }
        let directory = (file as NSString).deletingLastPathComponent
        let base = directory.isEmpty ? FileManager.default.currentDirectoryPath : directory
        do {
            return try parse(bytes, environment: environment, baseDirectory: base)
        } catch {
            throw ConfigError(
                problems: error.problems.map { problem in
                    problem.path.isEmpty ? ConfigProblem(path: file, message: problem.message) : problem
                })
        }
    }

    /// Parses and validates a config document. `environment` supplies HOME (for `~/` paths) and the XDG
    /// directories (for defaults); relative paths are resolved against `baseDirectory` when given.
    public static func parse(
        _ bytes: [UInt8], environment: [String: String],
        baseDirectory: String? = nil
    ) throws(ConfigError) -> Config {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw ConfigError("not valid JSON: \(syntaxProblem(bytes, error))")
        }
        let duplicates = DuplicateKeyScanner.duplicates(in: bytes).map {
            ConfigProblem(path: $0, message: "duplicate key (JSON keeps only one of them)")
        }
        let config: Config
        do {
            config = try ConfigParser(environment: environment, baseDirectory: baseDirectory).parse(root)
        } catch {
            throw ConfigError(problems: duplicates + error.problems)
        }
        if !duplicates.isEmpty { throw ConfigError(problems: duplicates) }
        return config
    }

    /// Why the bytes are not JSON, with the line and column of the offending byte.
    private static func syntaxProblem(_ bytes: [UInt8], _ error: JSONParseError) -> String {
        let prefix = bytes.prefix(error.offset)
        let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<prefix.endIndex], as: UTF8.self).count + 1
        return "\(error.reason) (line \(line), column \(column))"
    }

    static func readFailure(_ file: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: file) { return "permission denied" }
        return "read failed"
    }
}
