import Foundation
import SidecarConfig
import SidecarProtocol
import SidecarServer
import SidecarSimulator
import SidecarTransport

/// `provider-sidecar demo`: the whole round trip offline, with no keys.
///
/// A simulated Anthropic/OpenAI upstream runs on 127.0.0.1; a sidecar on a temporary socket uses the real
/// Anthropic and OpenAI provider code against it, with fake keys from a private environment (never the
/// process's). A client then streams a completion, gets a tool call, watches a failover, and reads usage
/// and status. Everything is removed at the end.
struct DemoCommand: Command {
    static let usage = """
        usage: provider-sidecar demo

        Runs the whole round trip offline with no keys: a simulated upstream on 127.0.0.1, a sidecar on a
        temporary socket using the real Anthropic and OpenAI providers, and a client that streams a
        completion, receives a tool call, sees a failover, and prints usage and status. Cleans up after.

        """
    static let options: Set<String> = []
    static let flags: Set<String> = []

    /// Fake keys the simulated upstream checks; they exist only in this dictionary.
    static let environment = ["DEMO_ANTHROPIC_KEY": "sk-ant-test-key", "DEMO_OPENAI_KEY": "sk-test-key"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard args.positionals.isEmpty else { throw Arguments.UsageError(description: "demo takes no arguments") }
        let upstream = SimulatedUpstream()
        upstream.defaultPacingMilliseconds = 12
        let port = try upstream.start()
        defer { upstream.stop() }
        let directory = try DemoDirectory()
        let config = try ConfigLoader.parse(
            Array(configText(port: port, directory: directory.path).utf8), environment: environment)
        let logger = Logger(level: .error)
        let context = try SidecarContext.make(config: config, environment: environment, logger: logger)
        let server = Server(config: config, logger: logger, context: context)
        try server.start()
        Terminal.out(
            """
            ProviderSidecar demo: offline, no keys.
              simulated Anthropic + OpenAI upstream on http://127.0.0.1:\(port)
              sidecar listening on \(directory.socket)


            """)
        let outcome = await onThread { DemoScript(socket: directory.socket, upstream: upstream).run() }
        await server.shutdown()
        await context.close()
        logger.info("shutdown.complete")
        return outcome
    }

    static func configText(port: UInt16, directory: String) -> String {
        """
        {
          "listen": [{"path": "\(directory)/sidecar.sock"}],
          "ledger": {"path": "\(directory)/ledger.sqlite"},
          "providers": [
            {"name": "anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:\(port)",
             "api_key_env": "DEMO_ANTHROPIC_KEY", "models": ["claude-demo"], "max_retries": 1,
             "health_check": {"enabled": false}},
            {"name": "openai", "kind": "openai", "base_url": "http://127.0.0.1:\(port)/v1",
             "api_key_env": "DEMO_OPENAI_KEY", "models": ["gpt-demo", "sim-tools"],
             "health_check": {"enabled": false}}
          ],
          "agents": {
            "default": {"models": ["anthropic/claude-demo", "openai/gpt-demo"], "max_tokens": 400},
            "researcher": {"models": ["openai/sim-tools"]}
          },
          "pricing": {
            "anthropic/claude-demo": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75},
            "openai/gpt-demo": {"input": 2, "output": 8},
            "openai/sim-tools": {"input": 2, "output": 8}
          }
        }
        """
    }

    /// Runs blocking client code on its own thread, off Swift's small cooperative pool.
    private static func onThread(_ body: @escaping @Sendable () -> ExitCode) async -> ExitCode {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}

/// A private temporary directory for the demo's socket and ledger, removed on release.
private final class DemoDirectory: Sendable {
    let path: String
    var socket: String { "\(path)/sidecar.sock" }

    init() throws {
        var template = Array("/tmp/provider-sidecar-demo-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw SidecarClient.ClientError(description: "cannot create a temporary directory under /tmp")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
