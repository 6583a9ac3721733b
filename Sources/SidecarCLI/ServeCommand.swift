import Foundation
import SidecarConfig
import SidecarServer
import SidecarTransport

/// `provider-sidecar serve`: runs the daemon until SIGTERM or SIGINT, then drains and exits 0. SIGHUP is
/// logged and otherwise ignored until reload exists.
struct ServeCommand: Command {
    static let usage = """
        usage: provider-sidecar serve [--config FILE] [--socket PATH] [--ledger PATH]

        Runs the sidecar. Without --config it reads PROVIDER_SIDECAR_CONFIG, else starts with the
        built-in default (see README: providers from ANTHROPIC_API_KEY / OPENAI_API_KEY).
          --config FILE   the JSON config file
          --socket PATH   replace the configured listeners with one unbound listener at PATH
          --ledger PATH   replace ledger.path

        """
    static let options: Set<String> = ["--config", "--socket", "--ledger"]
    static let flags: Set<String> = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard args.positionals.isEmpty else { throw Arguments.UsageError(description: "serve takes no arguments") }
        let environment = ProcessInfo.processInfo.environment
        let config = try loadConfig(args, environment: environment)
        let logger = Logger(level: config.logLevel)
        let context = try SidecarContext.make(config: config, environment: environment, logger: logger)
        let server = Server(config: config, logger: logger, context: context)
        let signals = SignalWatcher()
        try server.start()
        context.startBackgroundWork()
        while true {
            let signal = await signals.next()
            guard signal == SIGHUP else {
                logger.info("signal", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"])
                break
            }
            logger.warn(
                "signal", ["signal": "SIGHUP", "action": "ignored: reload is not supported yet; still serving"])
        }
        await server.shutdown()
        await context.close()
        logger.info("shutdown.complete")
        return .success
    }

    /// Loads the config and applies `--socket` / `--ledger`, which win over the environment.
    static func loadConfig(_ args: Arguments, environment: [String: String]) throws -> Config {
        var config = try ConfigLoader.load(path: args["--config"], environment: environment)
        ConfigLoader.applyOverrides(&config, socket: args["--socket"], ledger: args["--ledger"])
        return config
    }
}
