import SidecarProtocol

/// A model name (`gpt-5-mini`) or a prefix ending in `*` (`gpt-5*`), as written in `model_rules`.
public struct ModelPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// Nil when `*` appears anywhere but at the end, or nothing precedes it.
    public init?(_ text: String) {
        let stem = text.hasSuffix("*") ? String(text.dropLast()) : text
        guard !stem.isEmpty, !stem.contains("*") else { return nil }
        self.text = text
    }

    public var description: String { text }
    var isPrefix: Bool { text.hasSuffix("*") }
    var stem: Substring { isPrefix ? text.dropLast() : Substring(text) }
    /// An exact name beats any prefix; a longer prefix beats a shorter one.
    var specificity: Int { isPrefix ? stem.count : Int.max }

    func matches(_ model: String) -> Bool { isPrefix ? model.hasPrefix(stem) : model == text }
}

/// One entry of a rule table.
public struct ModelRule: Sendable, Equatable {
    public var pattern: ModelPattern
    public var rule: ParameterRule

    public init(_ pattern: ModelPattern, _ rule: ParameterRule) {
        self.pattern = pattern
        self.rule = rule
    }
}

/// The parameter rules of one provider: its `model_rules` from the config, then the built-in table of its
/// kind. Current models return 400 for parameters older ones took; a 400 ends the failover chain, so the
/// sidecar adjusts the request per candidate instead. Lookup: the config's rules first, then the built-ins;
/// in each, an exact name beats a prefix and a longer prefix beats a shorter one. A config rule replaces the
/// built-in one for the models it matches (`{}` turns a built-in rule off).
public struct ParameterRules: Sendable, Equatable {
    public let overrides: [ModelRule]
    public let builtIn: [ModelRule]

    public init(kind: String, overrides: [ModelRule] = []) {
        self.overrides = overrides
        builtIn = Self.builtIn(kind: kind)
    }

    /// The built-in table (README, "Model parameter rules"). Names match with or without a date suffix.
    public static func builtIn(kind: String) -> [ModelRule] {
        func rules(_ patterns: [String], _ rule: ParameterRule) -> [ModelRule] {
            patterns.map { ModelRule(ModelPattern($0)!, rule) }
        }
        switch kind {
        case "anthropic":
            // Opus 4.7 takes no sampling parameters; Sonnet 4.5/4.6 and Opus 4.1 take one of the two.
            return rules(["claude-opus-4-7*"], ParameterRule(drop: [.temperature, .topP]))
                + rules(
                    ["claude-sonnet-4-5*", "claude-sonnet-4-6*", "claude-opus-4-1*"],
                    ParameterRule(oneOf: [.temperature, .topP]))
        case "openai":
            // Reasoning models: no sampling parameters, and the output limit under its newer name.
            return rules(
                ["o1*", "o3*", "o4*", "gpt-5*"],
                ParameterRule(drop: [.temperature, .topP], maxCompletionTokens: true))
        default:
            return []
        }
    }

    /// The rule for `model`, or nil when none matches.
    public func rule(for model: String) -> ParameterRule? {
        (Self.best(overrides, model) ?? Self.best(builtIn, model))?.rule
    }

    private static func best(_ table: [ModelRule], _ model: String) -> ModelRule? {
        table.filter { $0.pattern.matches(model) }.max { $0.pattern.specificity < $1.pattern.specificity }
    }

    /// `request` as `provider` may send it to its model, and the parameters removed from it. Throws a
    /// `callerFault` failure naming the parameter and the model when the rule refuses one the request sets.
    public func apply(_ request: ProviderRequest, provider: String) throws(ProviderFailure) -> (
        request: ProviderRequest, dropped: [RuleParameter]
    ) {
        guard let rule = rule(for: request.model) else { return (request, []) }
        if let refused = rule.refused(in: request.completion) {
            throw ProviderFailure(
                .callerFault,
                "\(provider)/\(request.model) does not take \(refused.rawValue) (model_rules); leave it out of the request"
            )
        }
        var adjusted = request
        let dropped = rule.dropped(from: request.completion)
        for parameter in dropped { parameter.remove(from: &adjusted.completion) }
        adjusted.maxCompletionTokens = rule.maxCompletionTokens
        return (adjusted, dropped)
    }
}
