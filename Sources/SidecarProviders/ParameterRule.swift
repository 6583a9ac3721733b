import SidecarProtocol

/// A request parameter some models reject, by its wire name (`temperature`, `top_p`, `stop`).
public enum RuleParameter: String, CaseIterable, Sendable, Comparable {
    case temperature
    case topP = "top_p"
    case stop

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    func isSet(in request: CompletionRequest) -> Bool {
        switch self {
        case .temperature: return request.temperature != nil
        case .topP: return request.topP != nil
        case .stop: return !request.stop.isEmpty
        }
    }

    func remove(from request: inout CompletionRequest) {
        switch self {
        case .temperature: request.temperature = nil
        case .topP: request.topP = nil
        case .stop: request.stop = []
        }
    }
}

/// What the sidecar does with a request's parameters for one model (`providers[].model_rules`, or the
/// built-in table in `ParameterRules`). Parameters the request does not set are never acted on.
public struct ParameterRule: Sendable, Equatable {
    /// Removed before sending (logged at debug).
    public var drop: Set<RuleParameter>
    /// The candidate cannot take a request that sets one: the registry moves on to the next candidate.
    public var refuse: Set<RuleParameter>
    /// When more than one of these is set, the first set one (in this order) is kept and the rest dropped.
    public var oneOf: [RuleParameter]
    /// Send the output limit as `max_completion_tokens` instead of `max_tokens` (kind `openai` only).
    public var maxCompletionTokens: Bool

    public init(
        drop: Set<RuleParameter> = [], refuse: Set<RuleParameter> = [], oneOf: [RuleParameter] = [],
        maxCompletionTokens: Bool = false
    ) {
        self.drop = drop
        self.refuse = refuse
        self.oneOf = oneOf
        self.maxCompletionTokens = maxCompletionTokens
    }

    /// The parameters of `request` this rule removes, in wire-name order.
    func dropped(from request: CompletionRequest) -> [RuleParameter] {
        var dropped = drop.filter { $0.isSet(in: request) }
        dropped.formUnion(oneOf.filter { $0.isSet(in: request) }.dropFirst())
        return dropped.sorted()
    }

    /// The first parameter `request` sets that this rule refuses, if any.
    func refused(in request: CompletionRequest) -> RuleParameter? {
        refuse.sorted().first { $0.isSet(in: request) }
    }
}
