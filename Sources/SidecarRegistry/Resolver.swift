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

/// Turns model names into candidates. Pure: reads only the routing table.
struct Resolver: Sendable {
    let routing: RoutingTable
    private let modelsByProvider: [String: Set<String>]

    init(routing: RoutingTable) {
        self.routing = routing
        var models: [String: Set<String>] = [:]
        for route in routing.providers { models[route.name, default: []].formUnion(route.models) }
        modelsByProvider = models
    }

    /// See `Registry.resolve(agent:model:)` for the rules.
    func resolve(agent: String, model: String?) throws(SidecarError) -> [Candidate] {
        let policy = routing.policy(for: agent)
        guard let model else {
            let chain = policy.models.isEmpty ? routing.policy(for: "default").models : policy.models
            var candidates: [Candidate] = []
            for name in chain { candidates += try expand(name) }
            guard !candidates.isEmpty else {
                throw SidecarError(.unknownModel, "no model given and agent \"\(agent)\" has no models configured")
            }
            return unique(candidates)
        }
        let candidates = try expand(model)
        if !policy.models.isEmpty {
            let allowed = Set(policy.models.flatMap { (try? expand($0)) ?? [] })
            if let refused = candidates.first(where: { !allowed.contains($0) }) {
                throw SidecarError(
                    .forbidden,
                    "agent \"\(agent)\" may not use \(refused) (allowed: \(policy.models.joined(separator: ", ")))")
            }
        }
        return unique(candidates)
    }

    /// The names an agent may put in `model`, chain first: what the `hello` frame lists.
    func models(for agent: String) -> [String] {
        let policy = routing.policy(for: agent)
        let everything = routing.providers.flatMap { route in route.models.map { "\(route.name)/\($0)" } }
        let allowed =
            policy.models.isEmpty
            ? Set(everything) : Set(policy.models.flatMap { (try? expand($0))?.map(\.description) ?? [] })
        var names = policy.models.isEmpty ? everything : policy.models
        for (alias, members) in routing.aliases.sorted(by: { $0.key < $1.key }) where !names.contains(alias) {
            let expanded = members.flatMap { (try? expand($0))?.map(\.description) ?? [] }
            if !expanded.isEmpty, expanded.allSatisfy(allowed.contains) { names.append(alias) }
        }
        return names
    }

    /// One name: an alias (one level), `provider/model`, or a bare model name.
    private func expand(_ name: String, allowAlias: Bool = true) throws(SidecarError) -> [Candidate] {
        if allowAlias, let members = routing.aliases[name] {
            var candidates: [Candidate] = []
            for member in members { candidates += try expand(member, allowAlias: false) }
            return candidates
        }
        if let slash = name.firstIndex(of: "/"), let listed = modelsByProvider[String(name[..<slash])] {
            let provider = String(name[..<slash])
            let model = String(name[name.index(after: slash)...])
            guard !model.isEmpty, listed.isEmpty || listed.contains(model) else {
                throw SidecarError(.unknownModel, "provider \"\(provider)\" does not list model \"\(model)\"")
            }
            return [Candidate(provider: provider, model: model)]
        }
        let owners = routing.providers.filter { $0.models.contains(name) }.map(\.name)
        guard let owner = owners.first else {
            throw SidecarError(
                .unknownModel,
                "unknown model \"\(name)\": not an alias, a provider/model, or a model any provider lists")
        }
        guard owners.count == 1 else {
            throw SidecarError(
                .unknownModel,
                "model \"\(name)\" is listed by \(owners.joined(separator: " and ")); qualify it as provider/model")
        }
        return [Candidate(provider: owner, model: name)]
    }

    private func unique(_ candidates: [Candidate]) -> [Candidate] {
        var seen = Set<Candidate>()
        return candidates.filter { seen.insert($0).inserted }
    }
}
