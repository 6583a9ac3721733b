import SidecarHTTP

/// Every provider kind the sidecar can build. A new kind is its provider's own files (declaring its static
/// `providerKind`) plus one line here: config validation looks `providers[].kind` up with `kind(named:)`
/// and applies that kind's defaults and key rule, and the server builds providers with `make`.
public enum ProviderCatalog {
    private static let entries: [ProviderKind] = [
        AnthropicProvider.providerKind, OpenAIProvider.providerKind, SimulatedProvider.providerKind,
    ]

    /// The valid values of `providers[].kind`.
    public static let kinds: [String] = entries.map(\.name)

    /// The kind called `name`, if there is one.
    public static func kind(named name: String) -> ProviderKind? {
        entries.first { $0.name == name }
    }

    /// Builds the provider for `settings.kind`. Throws `UnknownProviderKind` for any other kind.
    public static func make(_ settings: ProviderSettings, transport: any HTTPTransport) throws -> any Provider {
        guard let kind = kind(named: settings.kind) else { throw UnknownProviderKind(kind: settings.kind) }
        return kind.make(settings, transport)
    }
}

/// `providers[].kind` names no kind in `ProviderCatalog.kinds`.
public struct UnknownProviderKind: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: String
    public var description: String {
        "unknown provider kind \"\(kind)\" (expected one of: \(ProviderCatalog.kinds.joined(separator: ", ")))"
    }
}
