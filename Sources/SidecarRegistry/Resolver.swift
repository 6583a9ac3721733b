import SidecarProtocol

/// One (provider, model) pair of a failover chain.
public struct Candidate: Sendable, Hashable, CustomStringConvertible {
    public var provider: String
    /// The model as the upstream knows it.
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    /// `provider/model`.
    public var description: String { "\(provider)/\(model)" }
}

/// Turns model references into candidates: the one reading of references, used by requests
/// (`Registry.resolve`, which gives the request rules) and by config validation and `check-config`.
/// Pure: reads only the routing table.
///
/// A reference is, in this order:
/// 1. an alias name: its members, in order (only where aliases are allowed);
/// 2. `provider/model` when the part before the first `/` is a configured provider (the model part may
///    itself contain `/`, as OpenRouter names do); when that provider lists models, the model must be one;
/// 3. a bare model name listed by exactly one provider (a name listed by several must be qualified).
public struct Resolver: Sendable {
    let routing: RoutingTable
    private let modelsByProvider: [String: Set<String>]

    public init(routing: RoutingTable) {
        self.routing = routing
        var models: [String: Set<String>] = [:]
        for route in routing.providers { models[route.name, default: []].formUnion(route.models) }
        modelsByProvider = models
    }

    /// An alias's members, or the one model `reference` names; duplicates dropped, keeping the first.
    public func candidates(for reference: String) throws(ModelReferenceError) -> [Candidate] {
        guard let members = routing.aliases[reference] else { return [try candidate(for: reference)] }
        var candidates: [Candidate] = []
        for member in members { candidates.append(try candidate(for: member)) }
        return unique(candidates)
    }

    /// The one model `reference` names; an alias is refused.
    public func candidate(for reference: String) throws(ModelReferenceError) -> Candidate {
        if reference.isEmpty { throw .empty }
        if routing.aliases[reference] != nil { throw .nestedAlias(reference) }
        if let slash = reference.firstIndex(of: "/"), let listed = modelsByProvider[String(reference[..<slash])] {
            let provider = String(reference[..<slash])
            let model = String(reference[reference.index(after: slash)...])
            if model.isEmpty { throw .emptyModel(provider: provider) }
            guard listed.isEmpty || listed.contains(model) else {
                throw .unlistedModel(provider: provider, model: model)
            }
            return Candidate(provider: provider, model: model)
        }
        let owners = routing.providers.filter { $0.models.contains(reference) }.map(\.name)
        if owners.count > 1 { throw .ambiguous(reference, providers: owners) }
        if let owner = owners.first { return Candidate(provider: owner, model: reference) }
        if let slash = reference.firstIndex(of: "/") {
            throw .unknownProvider(
                provider: String(reference[..<slash]), model: String(reference[reference.index(after: slash)...]))
        }
        throw .unknownModel(reference)
    }

    /// The failover chain of `agent` (an unlisted agent acts as `default`; an agent listing no models uses
    /// the default agent's chain), duplicates dropped, keeping the first.
    public func chain(forAgent agent: String) throws(ModelReferenceError) -> [Candidate] {
        let policy = routing.policy(for: agent)
        let references = policy.models.isEmpty ? routing.policy(for: RoutingTable.defaultAgent).models : policy.models
        var chain: [Candidate] = []
        for reference in references { chain += try candidates(for: reference) }
        return unique(chain)
    }

    /// See `Registry.resolve(agent:model:)` for the rules.
    func resolve(agent: String, model: String?) throws(SidecarError) -> [Candidate] {
        guard let model else {
            let chain: [Candidate]
            do { chain = try self.chain(forAgent: agent) } catch { throw error.sidecarError }
            guard !chain.isEmpty else {
                throw SidecarError(.unknownModel, "no model given and agent \"\(agent)\" has no models configured")
            }
            return chain
        }
        let requested: [Candidate]
        do { requested = try candidates(for: model) } catch { throw error.sidecarError }
        let policy = routing.policy(for: agent)
        if !policy.models.isEmpty {
            let allowed = Set(policy.models.flatMap { (try? candidates(for: $0)) ?? [] })
            if let refused = requested.first(where: { !allowed.contains($0) }) {
                throw SidecarError(
                    .forbidden,
                    "agent \"\(agent)\" may not use \(refused) (allowed: \(policy.models.joined(separator: ", ")))")
            }
        }
        return requested
    }

    /// The names an agent may put in `model`, chain first: what the `hello` frame lists.
    func models(for agent: String) -> [String] {
        let policy = routing.policy(for: agent)
        let everything = routing.providers.flatMap { route in route.models.map { "\(route.name)/\($0)" } }
        let allowed =
            policy.models.isEmpty
            ? Set(everything) : Set(policy.models.flatMap { (try? candidates(for: $0))?.map(\.description) ?? [] })
        var names = policy.models.isEmpty ? everything : policy.models
        for (alias, members) in routing.aliases.sorted(by: { $0.key < $1.key }) where !names.contains(alias) {
            let expanded = members.flatMap { (try? candidate(for: $0)).map { [$0.description] } ?? [] }
            if !expanded.isEmpty, expanded.allSatisfy(allowed.contains) { names.append(alias) }
        }
        return names
    }

    private func unique(_ candidates: [Candidate]) -> [Candidate] {
        var seen = Set<Candidate>()
        return candidates.filter { seen.insert($0).inserted }
    }
}
