import Foundation
import SidecarServer

/// The `provider-sidecar` command line: picks the subcommand and maps its outcome to an exit code.
public enum CommandLineTool {
    static let commands: [String: any Command.Type] = [
        "serve": ServeCommand.self, "check-config": CheckConfigCommand.self, "call": CallCommand.self,
        "status": StatusCommand.self, "usage": UsageCommand.self, "demo": DemoCommand.self,
    ]

    static let overview = """
        provider-sidecar: one daemon between AI agents and LLM providers.

        usage: provider-sidecar <command> [options]

        commands:
          serve          run the sidecar (listens on the configured Unix sockets)
          check-config   validate a config file and list every problem
          call           send one completion and stream the answer to stdout
          status         show the sidecar's providers, breakers and load
          usage          token and cost totals from the ledger (also: usage export)
          demo           a whole round trip offline, with no keys: start here

        Run `provider-sidecar <command> --help` for a command's options. `--version` prints the version.

        """

    /// Runs the tool with `arguments` (without the program name); returns the process exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        guard let first = arguments.first else {
            Terminal.err(overview)
            return ExitCode.usage.rawValue
        }
        switch first {
        case "--help", "-h", "help":
            Terminal.out(overview)
            return ExitCode.success.rawValue
        case "--version", "-V":
            Terminal.out("provider-sidecar \(SidecarContext.version)\n")
            return ExitCode.success.rawValue
        default:
            break
        }
        guard let command = commands[first] else {
            Terminal.err("provider-sidecar: unknown command \"\(first)\"\n\n\(overview)")
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            Terminal.out(command.usage)
            return ExitCode.success.rawValue
        }
        do {
            let args = try Arguments(rest, options: command.options, flags: command.flags)
            return try await command.run(args).rawValue
        } catch let error as Arguments.UsageError {
            Terminal.err("provider-sidecar \(first): \(error)\n\n\(command.usage)")
            return ExitCode.usage.rawValue
        } catch {
            Terminal.err("provider-sidecar \(first): \(error)\n")
            return ExitCode.failure.rawValue
        }
    }
}

/// One subcommand. Declares the options and flags it accepts, so anything else is a usage error.
protocol Command: Sendable {
    static var usage: String { get }
    static var options: Set<String> { get }
    static var flags: Set<String> { get }
    static func run(_ args: Arguments) async throws -> ExitCode
}
