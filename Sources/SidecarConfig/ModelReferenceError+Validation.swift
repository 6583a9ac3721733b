import SidecarRegistry

extension ModelReferenceError {
    /// The validation message for a reference in `config`, suggesting a close name where there is one.
    func validationMessage(in config: Config) -> String {
        switch self {
        case .empty, .emptyModel:
            return "empty model reference"
        case .unknownProvider(let provider, _):
            return "unknown provider \(JSONPath.quoted(provider))"
                + Suggestion.hint(for: provider, in: config.providers.map(\.name))
        case .unlistedModel(let provider, let model):
            return "provider \(JSONPath.quoted(provider)) does not list model \(JSONPath.quoted(model))"
        case .unknownModel(let name):
            let known = config.providers.flatMap(\.settings.models) + config.aliases.keys.sorted()
            return "unknown model or alias \(JSONPath.quoted(name))" + Suggestion.hint(for: name, in: known)
        case .ambiguous(let name, let providers):
            let qualified = providers.map { JSONPath.quoted("\($0)/\(name)") }.joined(separator: " or ")
            return "model \(JSONPath.quoted(name)) is listed by several providers; write \(qualified)"
        case .nestedAlias(let name):
            return "\(JSONPath.quoted(name)) is an alias; aliases cannot refer to other aliases"
        }
    }
}
