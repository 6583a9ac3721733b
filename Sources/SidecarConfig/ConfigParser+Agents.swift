import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import SidecarSpending

extension ConfigParser {
    /// Aliases: `name -> [model references]`. An alias name may not contain `/` nor equal a model a
    /// provider lists (it would shadow it); entries may not be aliases.
    func parseAliases(_ top: ObjectReader, config: Config) -> [String: [String]] {
        guard let reader = top.object("aliases") else { return [:] }
        let listed = Set(config.providers.flatMap(\.settings.models))
        var entries: [String: [(index: Int, value: String)]] = [:]
        for name in reader.fields.keys.sorted() {
            let path = reader.name(name)
            if name.contains("/") {
                log.add(path, "alias names must not contain \"/\"")
            } else if listed.contains(name) {
                log.add(path, "alias name is also a model a provider lists; choose another name")
            }
            guard let list = reader.strings(name) else { continue }
            if list.isEmpty { log.add(path, "must list at least one model") }
            entries[name] = list
        }
        var resolving = config
        resolving.aliases = entries.mapValues { $0.map(\.value) }
        let resolver = resolving.resolver
        for (name, list) in entries.sorted(by: { $0.key < $1.key }) {
            for (index, entry) in list {
                checkModel(
                    entry, at: JSONPath.index(reader.name(name), index), in: resolving, resolver, allowAlias: false)
            }
        }
        return resolving.aliases
    }

    /// Agents, with `default` synthesized when absent: the first model of each provider that lists any,
    /// in provider order. That it cannot be synthesized is only reported when the providers themselves
    /// are valid (otherwise it is a consequence of their problem).
    func parseAgents(
        _ top: ObjectReader, config: Config, providersValid: Bool
    ) -> (agents: [String: AgentPolicy], budgets: [String: Budget]) {
        var agents: [String: AgentPolicy] = [:]
        var budgets: [String: Budget] = [:]
        let resolver = config.resolver
        if let reader = top.object("agents") {
            for name in reader.fields.keys.sorted() {
                if name.isEmpty || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    log.add(reader.name(name), "agent names must be non-empty, without control characters")
                }
                guard let agentReader = reader.object(name) else { continue }
                (agents[name], budgets[name]) = parseAgent(agentReader, name: name, config: config, resolver)
            }
        }
        if agents[RoutingTable.defaultAgent] == nil {
            let chain = ConfigDefaults.defaultChain(for: config.providers)
            if chain.isEmpty, providersValid {
                log.add(
                    JSONPath.child("agents", RoutingTable.defaultAgent),
                    "missing, and no provider lists a model to build it from")
            }
            agents[RoutingTable.defaultAgent] = AgentPolicy(models: chain)
        }
        return (agents, budgets)
    }

    private func parseAgent(
        _ reader: ObjectReader, name: String, config: Config, _ resolver: Resolver
    ) -> (AgentPolicy, Budget?) {
        reader.rejectUnknownKeys(known: ["models", "max_tokens", "budget"])
        let entries = reader.strings("models") ?? []
        for (index, entry) in entries {
            checkModel(entry, at: JSONPath.index(reader.name("models"), index), in: config, resolver, allowAlias: true)
        }
        if name == RoutingTable.defaultAgent, reader.value("models")?.arrayValue?.isEmpty ?? true {
            reader.fail("models", "the default agent must list at least one model")
        }
        let policy = AgentPolicy(models: entries.map(\.value), maxTokens: reader.int("max_tokens", in: 1...10_000_000))
        return (policy, reader.object("budget").map(parseBudget))
    }

    private func parseBudget(_ reader: ObjectReader) -> Budget {
        reader.rejectUnknownKeys(known: ["tokens_per_day", "usd_per_day", "requests_per_minute"])
        let usd = reader.number("usd_per_day", in: 0...1e9)
        if usd == 0 { reader.fail("usd_per_day", "must be positive") }
        return Budget(
            tokensPerDay: reader.int("tokens_per_day", in: 1...Int(1e15)),
            usdPerDay: usd == 0 ? nil : usd,
            requestsPerMinute: reader.int("requests_per_minute", in: 1...1_000_000))
    }

    /// Pricing keys must be `provider/model` of a configured provider (a listed model when it lists any).
    func parsePricing(_ top: ObjectReader, config: Config) -> Pricing {
        guard let reader = top.object("pricing") else { return Pricing() }
        var prices: [String: Pricing.Price] = [:]
        let resolver = config.resolver
        for key in reader.fields.keys.sorted() {
            let path = reader.name(key)
            guard let slash = key.firstIndex(of: "/") else {
                log.add(path, "pricing keys are provider/model")
                continue
            }
            let providerName = String(key[..<slash])
            if config.provider(named: providerName) == nil {
                let model = String(key[key.index(after: slash)...])
                log.add(
                    path,
                    ModelReferenceError.unknownProvider(provider: providerName, model: model)
                        .validationMessage(in: config))
            } else {
                checkModel(key, at: path, in: config, resolver, allowAlias: false)
            }
            guard let price = reader.object(key) else { continue }
            price.rejectUnknownKeys(known: [
                "input", "output", "cache_read", "cache_write", "cache_write_1h", "web_search_per_1000",
                "long_context",
            ])
            let range = 0.0...1e6
            let input = price.number("input", in: range, required: true)
            let output = price.number("output", in: range, required: true)
            let cacheRead = price.number("cache_read", in: range)
            let cacheWrite = price.number("cache_write", in: range)
            let cacheWrite1h = price.number("cache_write_1h", in: range)
            // Anthropic charges 10 USD per 1000 web searches; no other upstream reports searches.
            let anthropic = config.provider(named: providerName)?.settings.kind == AnthropicProvider.providerKind.name
            let webSearch = price.number("web_search_per_1000", in: range) ?? (anthropic ? 10 : 0)
            let longContext = price.object("long_context").flatMap(parseLongContext)
            if let input, let output {
                prices[key] = Pricing.Price(
                    input: input, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite,
                    cacheWrite1h: cacheWrite1h, webSearchPer1000: webSearch, longContext: longContext)
            }
        }
        return Pricing(prices: prices)
    }

    /// `long_context`: the threshold and the tier's prices, read like the base prices; nil when invalid.
    private func parseLongContext(_ reader: ObjectReader) -> Pricing.LongContext? {
        reader.rejectUnknownKeys(known: [
            "above_input_tokens", "input", "output", "cache_read", "cache_write", "cache_write_1h",
        ])
        let range = 0.0...1e6
        let above = reader.int("above_input_tokens", in: 1...1_000_000_000, required: true)
        let input = reader.number("input", in: range, required: true)
        let output = reader.number("output", in: range, required: true)
        let cacheRead = reader.number("cache_read", in: range)
        let cacheWrite = reader.number("cache_write", in: range)
        let cacheWrite1h = reader.number("cache_write_1h", in: range)
        guard let above, let input, let output else { return nil }
        return Pricing.LongContext(
            aboveInputTokens: above, input: input, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite,
            cacheWrite1h: cacheWrite1h)
    }

    /// Logs why `reference` does not resolve to one model through `resolver` (`config`'s). An alias name
    /// is accepted as is where aliases are allowed: its entries are checked (and reported) once, under `aliases`.
    private func checkModel(
        _ reference: String, at path: String, in config: Config, _ resolver: Resolver, allowAlias: Bool
    ) {
        if allowAlias, config.aliases[reference] != nil { return }
        do {
            _ = try resolver.candidate(for: reference)
        } catch {
            log.add(path, error.validationMessage(in: config))
        }
    }
}
