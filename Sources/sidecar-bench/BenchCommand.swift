import Foundation
import SidecarProtocol

#if canImport(Glibc)
import Glibc
#endif

/// `sidecar-bench`: runs the chosen scenarios and prints a table (or JSON). Exit status 0 when every
/// scenario ran (a missed target is a result, not a failure), 1 when one could not run, 2 on bad usage.
enum BenchCommand {
    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") {
            write(BenchOptions.usage + "\n", to: STDOUT_FILENO)
            return 0
        }
        let options: BenchOptions
        do {
            options = try BenchOptions.parse(arguments)
        } catch {
            write("sidecar-bench: \(error.message)\n\n\(BenchOptions.usage)\n", to: STDERR_FILENO)
            return 2
        }
        guard FileManager.default.isExecutableFile(atPath: SidecarUnderTest.binaryPath) else {
            write(
                "sidecar-bench: no provider-sidecar binary at \(SidecarUnderTest.binaryPath); build it first "
                    + "(swift build -c release --product provider-sidecar) or set PROVIDER_SIDECAR_BIN\n",
                to: STDERR_FILENO)
            return 1
        }
        let table = ReportTable(build: buildMode, quick: options.quick)
        if !options.json { write(table.header, to: STDOUT_FILENO) }
        var results: [ScenarioResult] = []
        var failures: [String] = []
        for name in options.scenarios {
            if !options.json { write("running \(name.rawValue) ...\n", to: STDERR_FILENO) }
            do {
                var result = try scenario(name, quick: options.quick)
                result.loadAfter = MachineLoad.current()
                results.append(result)
                if !options.json { write(table.render(result), to: STDOUT_FILENO) }
            } catch {
                failures.append("\(name.rawValue): \(error)")
                write("sidecar-bench: \(name.rawValue) failed: \(error)\n", to: STDERR_FILENO)
            }
        }
        if options.json {
            let report: JSONValue = [
                "build": .string(buildMode), "quick": .bool(options.quick), "cores": JSONValue(MachineLoad.cores),
                "binary": .string(SidecarUnderTest.binaryPath), "scenarios": .array(results.map(\.json)),
                "failures": .array(failures.map { .string($0) }),
            ]
            write(String(decoding: report.encoded(), as: UTF8.self) + "\n", to: STDOUT_FILENO)
        }
        return failures.isEmpty ? 0 : 1
    }

    private static func scenario(_ name: ScenarioName, quick: Bool) throws -> ScenarioResult {
        switch name {
        case .startup: try StartupScenario(runs: quick ? 3 : 10).run()
        case .ping: try PingScenario(count: quick ? 2000 : 20_000).run()
        case .firstChunk: try FirstChunkScenario(count: quick ? 50 : 500, warmup: quick ? 10 : 50).run()
        case .streams: try ConcurrentStreamsScenario(connections: quick ? 10 : 50, perConnection: 10).run()
        case .idle: try IdleConnectionsScenario(count: quick ? 1000 : 10_000).run()
        }
    }

    /// Debug numbers are not worth publishing; the table says which build produced them.
    private static var buildMode: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// Writes to a file descriptor directly: `print` is fully buffered on a pipe, so progress would not show.
    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
