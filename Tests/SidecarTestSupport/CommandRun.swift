import Foundation

/// Runs the real `provider-sidecar` binary to completion and captures its output.
public struct CommandRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SidecarProcess.binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PROVIDER_SIDECAR_CONFIG"] = nil
        env["PROVIDER_SIDECAR_SOCKET"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outReader = PipeReader(out.fileHandleForReading)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = outReader.wait()
        stderr = errText
    }
}

/// Reads a pipe to its end on a background thread, so two pipes can't deadlock each other.
final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
