import Foundation
import SidecarTestSupport
import Testing

/// Runs the built `sim-upstream` binary.
@Suite struct SimUpstreamExecutableTests {
    /// The binary prints its address on one line, serves both APIs, and exits 0 on SIGTERM.
    @Test(.enabled(if: BuiltExecutable.path("sim-upstream") != nil))
    func printsAddressServesAndStopsOnSigterm() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(BuiltExecutable.path("sim-upstream")))
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var line = Data()
        while !line.contains(10), let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("listening on http://127.0.0.1:"))
        let port = try #require(
            UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? ""))
        let response = try RawHTTPConnection(port: port).exchange(
            path: "/chat/completions", headers: [("authorization", "Bearer sk-test-key")],
            body: #"{"model":"sim-fail-401","messages":[]}"#)
        #expect(response.status == 401)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
