import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `provider-sidecar` binary, spawned with `serve --config FILE` in a fresh temporary directory
/// that holds its config, socket, ledger and stderr log.
final class SidecarUnderTest {
    let directory: String
    let socketPath: String
    private let process = Process()
    /// Monotonic time just before the spawn, for the startup measurement.
    let spawnedAt: UInt64

    /// The binary beside this one (SwiftPM builds every product into one folder), or PROVIDER_SIDECAR_BIN.
    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["PROVIDER_SIDECAR_BIN"] { return path }
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "."
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("provider-sidecar").path
    }

    /// Writes the config `makeConfig(directory)` returns and starts the sidecar; does not wait for it.
    /// `environment` is added to this process's environment (the fake API keys).
    init(environment: [String: String] = [:], makeConfig: (_ directory: String) -> String) throws {
        var template = Array("/tmp/sidecar-bench-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw BenchError("mkdtemp: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        socketPath = directory + "/sidecar.sock"
        let configPath = directory + "/config.json"
        try makeConfig(directory).write(toFile: configPath, atomically: true, encoding: .utf8)
        let logPath = directory + "/stderr.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = ["serve", "--config", configPath]
        var env = ProcessInfo.processInfo.environment
        for name in ["PROVIDER_SIDECAR_CONFIG", "PROVIDER_SIDECAR_SOCKET", "PROVIDER_SIDECAR_LEDGER"] {
            env[name] = nil
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        spawnedAt = Monotonic.now()
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw BenchError("cannot start \(Self.binaryPath): \(error)")
        }
    }

    /// Polls the socket every 200 µs until a connection succeeds; returns the time since the spawn.
    @discardableResult
    func waitUntilListening(timeout: Duration = .seconds(20)) throws -> UInt64 {
        let deadline = spawnedAt + UInt64(timeout.components.seconds) * 1_000_000_000
        while Monotonic.now() < deadline {
            if (try? UnixConnection(path: socketPath)) != nil { return Monotonic.now() - spawnedAt }
            guard process.isRunning else { throw BenchError("the sidecar exited early:\n\(stderr)") }
            usleep(200)
        }
        throw BenchError("the sidecar did not listen within \(timeout):\n\(stderr)")
    }

    var pid: Int32 { process.processIdentifier }

    /// What the sidecar wrote to stderr so far.
    var stderr: String {
        (try? String(contentsOfFile: directory + "/stderr.log", encoding: .utf8)) ?? ""
    }

    /// Current and peak resident memory in bytes (`VmRSS`, `VmHWM` from `/proc/PID/status`).
    func memory() -> (rss: Double, peak: Double) {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kilobytes(_ field: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
                return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            }
            return 0
        }
        return (kilobytes("VmRSS") * 1024, kilobytes("VmHWM") * 1024)
    }

    /// User plus system CPU time the sidecar has used, in seconds (`/proc/PID/stat`).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, wait for the exit, remove the directory. Returns how many SIGTERMs went unanswered: a
    /// SIGTERM that arrives just after the socket starts accepting, before the sidecar's signal sources are
    /// live, is lost, so it is repeated every 2 s (then SIGKILL after 5 tries).
    @discardableResult
    func stop() -> Int {
        var lost = 0
        while process.isRunning {
            kill(pid, lost < 5 ? SIGTERM : SIGKILL)
            let deadline = Monotonic.now() + 2_000_000_000
            while process.isRunning, Monotonic.now() < deadline { usleep(5_000) }
            if process.isRunning { lost += 1 }
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
        return lost
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}
