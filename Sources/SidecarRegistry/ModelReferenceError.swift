import SidecarProtocol

/// Why a model reference does not resolve (`Resolver`). Requests turn it into an `unknown_model` error
/// (`sidecarError`); config validation words it for the config's author, with suggestions.
public enum ModelReferenceError: Error, Sendable, Equatable {
    /// The reference is the empty string.
    case empty
    /// `provider/` with nothing after the slash.
    case emptyModel(provider: String)
    /// `provider/model` whose provider is not configured.
    case unknownProvider(provider: String, model: String)
    /// `provider/model` where the provider lists its models and this is not one of them.
    case unlistedModel(provider: String, model: String)
    /// A bare name no provider lists and no alias has.
    case unknownModel(String)
    /// A bare name listed by several providers: it must be written `provider/model`.
    case ambiguous(String, providers: [String])
    /// An alias where aliases are not allowed (inside an alias).
    case nestedAlias(String)

    /// The error a request naming the reference gets.
    var sidecarError: SidecarError {
        func unknown(_ name: String) -> SidecarError {
            SidecarError(
                .unknownModel,
                "unknown model \"\(name)\": not an alias, a provider/model, or a model any provider lists")
        }
        switch self {
        case .empty: return unknown("")
        case .emptyModel(let provider):
            return SidecarError(.unknownModel, "provider \"\(provider)\" does not list model \"\"")
        case .unknownProvider(let provider, let model): return unknown("\(provider)/\(model)")
        case .unlistedModel(let provider, let model):
            return SidecarError(.unknownModel, "provider \"\(provider)\" does not list model \"\(model)\"")
        case .unknownModel(let name): return unknown(name)
        case .ambiguous(let name, let providers):
            return SidecarError(
                .unknownModel,
                "model \"\(name)\" is listed by \(providers.joined(separator: " and ")); qualify it as provider/model")
        case .nestedAlias(let name):
            return SidecarError(.unknownModel, "\"\(name)\" is an alias; aliases cannot refer to other aliases")
        }
    }
}
