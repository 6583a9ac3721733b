import Foundation

/// Locates the package's executables next to the running test binary (SwiftPM puts both in `.build/<config>`).
public enum BuiltExecutable {
    /// The path of executable `name`, or nil when it has not been built.
    public static func path(_ name: String) -> String? {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test binary may sit inside a bundle directory (`X.xctest/...`): climb out of it.
        while directory.pathComponents.count > 1 {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            if directory.lastPathComponent == ".build" { return nil }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
