import Foundation
import SidecarConfig

/// `provider-sidecar check-config FILE`: checks the file as written (no environment overrides). Exit 0 with a
/// summary of listeners, providers and each agent's resolved chain; else every problem, one per line, exit 1.
struct CheckConfigCommand: Command {
    static let usage = """
        usage: provider-sidecar check-config FILE

        Validates FILE and lists every problem with its JSON path (exit 1), or prints a summary of the
        listeners, providers and each agent's failover chain (exit 0). Warnings (a key variable not set
        here, a key file readable by others) go to stderr and do not fail the check.

        """
    static let options: Set<String> = []
    static let flags: Set<String> = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard args.positionals.count == 1, let path = args.positionals.first else {
            throw Arguments.UsageError(description: "check-config needs exactly one FILE")
        }
        let outcome = ConfigCheck.run(file: path, environment: ProcessInfo.processInfo.environment)
        if !outcome.report.isEmpty { Terminal.out(outcome.report) }
        if !outcome.diagnostics.isEmpty { Terminal.err(outcome.diagnostics) }
        return outcome.exitCode == 0 ? .success : .failure
    }
}
