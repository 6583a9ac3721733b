import Foundation
import SidecarProtocol

/// Loads and validates the config. Every entry point reports all problems at once in `ConfigError`.
public enum ConfigLoader {
    /// The config the daemon runs with: the file at `path`, else the one `PROVIDER_SIDECAR_CONFIG` names,
    /// else `defaultConfig(environment:)`; then the environment overrides (`ConfigOverrides`) applied.
    /// Command-line flags go on top with `Config.applying(_:)`.
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
            throw ConfigError("not valid JSON: \(syntaxProblem(bytes))")
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

    /// Why the bytes are not JSON, with line and column when Foundation gives an offset.
    private static func syntaxProblem(_ bytes: [UInt8]) -> String {
        var reason = "syntax error"
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            reason = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? reason
        }
        guard let range = reason.range(of: #"character (\d+)"#, options: .regularExpression),
            let offset = Int(reason[range].dropFirst("character ".count))
        else { return reason }
        let prefix = bytes.prefix(offset)
        let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return "\(reason) (line \(line), column \(column))"
    }

    static func readFailure(_ file: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: file) { return "permission denied" }
        return "read failed"
    }
}
