import Foundation
import SidecarConfig

/// A provider that passes validation: `a` (anthropic) listing model `m`.
let providerA = #"{"name": "a", "kind": "anthropic", "api_key_env": "A_KEY", "models": ["m"]}"#
/// Another valid provider: `b` (openai) listing `m` too and `n`.
let providerB = #"{"name": "b", "kind": "openai", "api_key_env": "B_KEY", "models": ["m", "n"]}"#

/// An environment with a home and runtime directory, so defaults are predictable.
let testEnvironment = ["HOME": "/home/tester", "XDG_RUNTIME_DIR": "/run/user/1000"]

func parse(_ json: String, environment: [String: String] = testEnvironment) throws(ConfigError) -> Config {
    try ConfigLoader.parse(Array(json.utf8), environment: environment)
}

/// The problem lines for `json`, or [] when it is valid.
func problems(_ json: String) -> [String] {
    do {
        _ = try parse(json)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

/// A fresh private directory under the system temporary directory.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "sidecar-config-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `text` to `path` with the given file mode.
func write(_ text: String, to path: String, mode: Int = 0o600) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

/// The repository root, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
