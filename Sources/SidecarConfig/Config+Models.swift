/// Model resolution, shared by validation and the registry so both read references the same way.
///
/// A reference is, in this order:
/// 1. an alias name: its ordered list;
/// 2. `provider/model` when the part before the first `/` is a configured provider (the model part may
///    itself contain `/`, as OpenRouter names do); when that provider lists models, the model must be one;
/// 3. a bare model name listed by exactly one provider (a name listed by several must be qualified).
extension Config {
    /// The candidates `reference` stands for, in order.
    public func resolve(_ reference: String) throws(ModelReferenceError) -> [ModelRef] {
        if let expansion = aliases[reference] {
            var refs: [ModelRef] = []
            for entry in expansion {
                let ref = try resolveModel(entry)
                if !refs.contains(ref) { refs.append(ref) }
            }
            return refs
        }
        return [try resolveModel(reference)]
    }

    /// The resolved failover chain of an agent: the named agent, else `default`; an agent listing no
    /// models uses the default agent's chain. Duplicates are dropped, keeping the first.
    public func chain(forAgent name: String?) -> [ModelRef] {
        let fallback = agents[ConfigDefaults.defaultAgent]
        let agent = name.flatMap { agents[$0] } ?? fallback
        let references = agent.map(\.models).flatMap { $0.isEmpty ? nil : $0 } ?? fallback?.models ?? []
        var refs: [ModelRef] = []
        for reference in references {
            for ref in (try? resolve(reference)) ?? [] where !refs.contains(ref) { refs.append(ref) }
        }
        return refs
    }

    /// Resolves a reference that must name one model (not an alias).
    func resolveModel(_ reference: String) throws(ModelReferenceError) -> ModelRef {
        if reference.isEmpty { throw .empty }
        if aliases[reference] != nil { throw .nestedAlias(reference) }
        if let slash = reference.firstIndex(of: "/"),
            let provider = provider(named: String(reference[..<slash]))
        {
            let model = String(reference[reference.index(after: slash)...])
            if model.isEmpty { throw .empty }
            if !provider.models.isEmpty, !provider.models.contains(model) {
                throw .unlistedModel(provider: provider.name, model: model)
            }
            return ModelRef(provider: provider.name, model: model)
        }
        let listing = providers.filter { $0.models.contains(reference) }
        if listing.count == 1, let provider = listing.first {
            return ModelRef(provider: provider.name, model: reference)
        }
        if listing.count > 1 { throw .ambiguous(reference, providers: listing.map(\.name)) }
        if let slash = reference.firstIndex(of: "/") {
            let name = String(reference[..<slash])
            throw .unknownProvider(name, suggestion: Suggestion.closest(to: name, in: providers.map(\.name)))
        }
        let known = providers.flatMap(\.models) + aliases.keys.sorted()
        throw .unknownModel(reference, suggestion: Suggestion.closest(to: reference, in: known))
    }
}
