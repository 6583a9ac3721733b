import Foundation

/// Reading credentials. Kept apart from parsing so a `Config` never holds a key: the server resolves
/// keys once at startup and wraps them in its `Secret` type. Errors name the variable or the file,
/// never the value.
extension ConfigLoader {
    /// Largest key file read; a key is a few hundred bytes, anything bigger is the wrong file.
    static let maxKeyFileBytes = 64 * 1024

    /// The provider's API key with surrounding whitespace trimmed, or nil when it is configured without
    /// one (simulated, or an OpenAI-compatible server on loopback).
    public static func resolveAPIKey(
        for provider: ProviderConfig,
        environment: [String: String]
    ) throws(ConfigError) -> String? {
        let subject = "provider \(JSONPath.quoted(provider.name))"
        let raw: String
        let source: String
        if let variable = provider.apiKeyEnv {
            source = "environment variable \(variable)"
            guard let value = environment[variable] else { throw ConfigError("\(subject): \(source) is not set") }
            raw = value
        } else if let file = provider.apiKeyFile {
            source = "api key file \(file)"
            raw = try readKeyFile(file, subject: subject, source: source)
        } else {
            return nil
        }
        let key = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if key.isEmpty { throw ConfigError("\(subject): \(source) is empty") }
        // A line break or control character in a key would be a header injection; refuse it.
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConfigError("\(subject): \(source) holds line breaks or control characters inside the key")
        }
        return key
    }

    /// Every provider's key by provider name (providers without a key are absent), reporting all
    /// problems at once.
    public static func resolveAPIKeys(
        for config: Config,
        environment: [String: String]
    ) throws(ConfigError) -> [String: String] {
        var keys: [String: String] = [:]
        var problems: [ConfigProblem] = []
        for provider in config.providers {
            do {
                keys[provider.name] = try resolveAPIKey(for: provider, environment: environment)
            } catch {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return keys
    }

    /// A warning to log when the provider's key file is readable or writable by group or others.
    /// Not an error: container secrets are often mounted 0444 inside a private mount.
    public static func keyFileWarning(for provider: ProviderConfig) -> String? {
        guard let file = provider.apiKeyFile,
            let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, mode & 0o077 != 0
        else { return nil }
        let octal = String(mode & 0o7777, radix: 8)
        return "provider \(JSONPath.quoted(provider.name)): api key file \(file) has mode 0\(octal); "
            + "other users may read it (chmod 600 \(file))"
    }

    private static func readKeyFile(_ file: String, subject: String, source: String) throws(ConfigError) -> String {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            if let size = (attributes[.size] as? NSNumber)?.intValue, size > maxKeyFileBytes {
                throw ConfigError(
                    "\(subject): \(source) is larger than \(maxKeyFileBytes) bytes; is it the right file?")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(subject): cannot read \(source): \(readFailure(file))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(subject): \(source) is not UTF-8 text")
        }
        return text
    }
}
