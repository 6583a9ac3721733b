/// One concrete candidate: a model on a provider.
public struct ModelRef: Sendable, Hashable, CustomStringConvertible {
    public var provider: String
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    /// `provider/model`.
    public var description: String { "\(provider)/\(model)" }
}

/// Why a model reference does not resolve. `description` is the validation message.
public enum ModelReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// `provider/model` whose provider is not configured (with a close provider name, if any).
    case unknownProvider(String, suggestion: String?)
    /// `provider/model` where the provider lists its models and this is not one of them.
    case unlistedModel(provider: String, model: String)
    /// A bare name no provider lists and no alias has.
    case unknownModel(String, suggestion: String?)
    /// A bare name listed by several providers: it must be written `provider/model`.
    case ambiguous(String, providers: [String])
    /// An alias where aliases are not allowed (inside an alias).
    case nestedAlias(String)

    public var description: String {
        func hint(_ suggestion: String?) -> String {
            suggestion.map { " (did you mean \(JSONPath.quoted($0))?)" } ?? ""
        }
        switch self {
        case .empty:
            return "empty model reference"
        case .unknownProvider(let name, let suggestion):
            return "unknown provider \(JSONPath.quoted(name))" + hint(suggestion)
        case .unlistedModel(let provider, let model):
            return "provider \(JSONPath.quoted(provider)) does not list model \(JSONPath.quoted(model))"
        case .unknownModel(let name, let suggestion):
            return "unknown model or alias \(JSONPath.quoted(name))" + hint(suggestion)
        case .ambiguous(let name, let providers):
            let qualified = providers.map { JSONPath.quoted("\($0)/\(name)") }.joined(separator: " or ")
            return "model \(JSONPath.quoted(name)) is listed by several providers; write \(qualified)"
        case .nestedAlias(let name):
            return "\(JSONPath.quoted(name)) is an alias; aliases cannot refer to other aliases"
        }
    }
}
