import Foundation
import Glibc

/// The `sim-upstream [--port N] [--pacing-ms MS] [--anthropic-key K] [--openai-key K]` command: starts a
/// `SimulatedUpstream`, prints `listening on http://127.0.0.1:PORT` on one flushed line, and serves until
/// SIGTERM or SIGINT.
public enum SimUpstreamCommand {
    /// Runs the command until SIGTERM or SIGINT; returns the exit status.
    public static func run(arguments: [String]) -> Int32 {
        var port: UInt16 = 0
        var pacing = 2.0
        var anthropicKey = "sk-ant-test-key"
        var openAIKey = "sk-test-key"
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else { return usage("missing value for \(flag)") }
            switch flag {
            case "--port":
                guard let parsed = UInt16(value) else { return usage("bad port \(value)") }
                port = parsed
            case "--pacing-ms":
                guard let parsed = Double(value), parsed >= 0 else { return usage("bad pacing \(value)") }
                pacing = parsed
            case "--anthropic-key": anthropicKey = value
            case "--openai-key": openAIKey = value
            default: return usage("unknown option \(flag)")
            }
        }
        let upstream = SimulatedUpstream(anthropicKey: anthropicKey, openAIKey: openAIKey, pacingMilliseconds: pacing)
        // Block the stop signals before any thread exists (threads inherit the mask), then wait for them
        // synchronously: a SIGTERM sent right after the address line stays pending instead of being lost.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        do {
            let bound = try upstream.start(port: port)
            write(1, "listening on http://127.0.0.1:\(bound)\n")
        } catch {
            write(2, "sim-upstream: \(error)\n")
            return 1
        }
        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        upstream.stop()
        return 0
    }

    private static func usage(_ problem: String) -> Int32 {
        write(
            2,
            "sim-upstream: \(problem)\nusage: sim-upstream [--port N] [--pacing-ms MS] "
                + "[--anthropic-key KEY] [--openai-key KEY]\n")
        return 2
    }

    private static func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            guard written > 0 else { return }
            offset += written
        }
    }
}
