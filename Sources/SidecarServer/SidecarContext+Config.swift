import Foundation
import SidecarConfig
import SidecarHTTP
import SidecarLedger
import SidecarProviders
import SidecarRegistry
import SidecarSpending
import SidecarTransport

/// Why the sidecar could not be assembled from a valid config (a key file unreadable, the ledger locked...).
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension SidecarContext {
    /// Builds providers (reading their keys), the registry, and opens the ledger and budgets.
    ///
    /// `environment` is where `api_key_env` variables are looked up: the process environment for `serve`,
    /// a private dictionary for `demo`, so its fake keys never enter the real environment.
    public static func make(config: Config, environment: [String: String], logger: Logger) throws -> SidecarContext {
        // Plain http:// (local servers) over our own sockets; https:// through URLSession (TLS).
        let transport = RoutingTransport()
        let keys = try ConfigLoader.resolveAPIKeys(for: config, environment: environment)
        var providers: [any Provider] = []
        for provider in config.providers {
            if let warning = ConfigLoader.keyFileWarning(for: provider) { logger.warn("config", ["warning": warning]) }
            if let note = ProviderCatalog.kind(named: provider.settings.kind)?.startupNote {
                logger.info("provider.\(provider.settings.kind)", ["provider": provider.name, "note": note])
            }
            var settings = provider.settings
            settings.apiKey = keys[provider.name].map(Secret.init)
            providers.append(try ProviderCatalog.make(settings, transport: transport))
        }
        let routing = config.routing
        let registry = Registry(
            providers: providers, routing: routing,
            breaker: config.circuitBreaker,
            onEvent: { event in
                logger.log(
                    event.isWarning ? .warn : event.isDebug ? .debug : .info, "registry",
                    [("req", event.requestID), ("event", event.message)])
            })
        try createDefaultLedgerDirectory(config, environment: environment)
        let ledger: Ledger
        do {
            ledger = try Ledger.open(path: config.ledgerPath) { message in logger.error("ledger", ["problem": message])
            }
        } catch {
            throw StartupError(description: error.description)
        }
        let budgets: BudgetBook
        do {
            budgets = try BudgetBook(seededFrom: ledger, now: Date())
        } catch {
            throw StartupError(description: "cannot read today's spending from the ledger: \(error.description)")
        }
        return SidecarContext(
            registry: registry, routing: routing, ledger: ledger, budgets: budgets,
            agentBudgets: config.budgets, pricing: config.pricing, logger: logger)
    }
}

extension SidecarContext {
    /// The default ledger directory is ours to create (mode 0700: spending records are private); a configured
    /// ledger path must already have its directory, so a typo in it is reported instead of silently created.
    private static func createDefaultLedgerDirectory(_ config: Config, environment: [String: String]) throws {
        guard config.ledgerPath == ConfigLoader.defaultLedgerPath(environment: environment) else { return }
        let directory = (config.ledgerPath as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError(
                description: "cannot create the default ledger directory \(directory): \(error.localizedDescription)")
        }
    }
}

extension Server {
    /// A server for `config`'s listeners and limits, handing requests to a dispatcher over `context`.
    public convenience init(config: Config, logger: Logger, context: SidecarContext) {
        let dispatcher = Dispatcher(context: context)
        self.init(listeners: config.listeners, limits: config.limits, logger: logger, handler: dispatcher)
    }
}
