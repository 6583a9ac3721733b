import Foundation
import SidecarCLI

#if canImport(Glibc)
import Glibc
#endif

/// The real `provider-sidecar` binary, started as a child process for end-to-end tests.
public final class SidecarProcess: @unchecked Sendable {
    public let process = Process()
    public let socketPath: String
    /// The child's stderr goes to a file: a pipe drained by a `readabilityHandler` registers a Dispatch source
    /// per process, and tearing those down while their descriptors close crashed libdispatch's event loop.
    private let stderrPath: String

    /// The built binary: PROVIDER_SIDECAR_BIN, else beside the test bundle (SwiftPM builds both into one folder).
    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["PROVIDER_SIDECAR_BIN"] { return path }
        return productsDirectory + "/provider-sidecar"
    }

    public static var productsDirectory: String {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
        while url.pathComponents.count > 1 && url.pathExtension != "xctest"
            && !FileManager.default.fileExists(
                atPath: url.deletingLastPathComponent().appendingPathComponent("provider-sidecar").path)
        {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().path
    }

    /// Starts `provider-sidecar <arguments>` and waits until `socketPath` accepts connections. With
    /// `descriptorLimit`, the process starts with that many descriptors at most (soft and hard limit).
    public init(
        arguments: [String], socketPath: String, environment: [String: String] = [:],
        descriptorLimit: Int? = nil
    ) throws {
        self.socketPath = socketPath
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments =
                ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", Self.binaryPath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binaryPath)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["PROVIDER_SIDECAR_CONFIG"] = nil
        env["PROVIDER_SIDECAR_SOCKET"] = nil
        env["PROVIDER_SIDECAR_LEDGER"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        stderrPath = "\(NSTemporaryDirectory())/sidecar-stderr-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: stderrPath, contents: nil),
            let log = FileHandle(forWritingAtPath: stderrPath)
        else { throw SidecarClient.ClientError(description: "cannot create \(stderrPath)") }
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try log.close()
        try waitUntilListening()
    }

    private func waitUntilListening() throws {
        for _ in 0..<500 {
            if (try? SidecarClient(path: socketPath)) != nil { return }
            guard process.isRunning else {
                throw SidecarClient.ClientError(description: "sidecar exited early:\n\(stderr)")
            }
            usleep(20_000)
        }
        throw SidecarClient.ClientError(description: "sidecar did not listen on \(socketPath) within 10 s:\n\(stderr)")
    }

    /// Everything the process wrote to stderr so far.
    public var stderr: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    public func connect() throws -> SidecarClient { try SidecarClient(path: socketPath) }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}
