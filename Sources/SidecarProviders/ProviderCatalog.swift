import SidecarHTTP

/// Every provider kind the sidecar can build. A new provider is one file plus one line here; config
/// validation checks `providers[].kind` against `kinds`.
public enum ProviderCatalog {
    private typealias Factory = @Sendable (ProviderSettings, any HTTPTransport) -> any Provider

    private static let factories: [(kind: String, make: Factory)] = [
        ("anthropic", { AnthropicProvider(settings: $0, transport: $1) }),
        ("openai", { OpenAIProvider(settings: $0, transport: $1) }),
        ("simulated", { settings, _ in SimulatedProvider(settings: settings) }),
    ]

    /// The valid values of `providers[].kind`.
    public static let kinds: [String] = factories.map(\.kind)

    /// Builds the provider for `settings.kind`. Throws `UnknownProviderKind` for any other kind.
    public static func make(_ settings: ProviderSettings, transport: any HTTPTransport) throws -> any Provider {
        guard let factory = factories.first(where: { $0.kind == settings.kind }) else {
            throw UnknownProviderKind(kind: settings.kind)
        }
        return factory.make(settings, transport)
    }
}

/// `providers[].kind` names no kind in `ProviderCatalog.kinds`.
public struct UnknownProviderKind: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: String
    public var description: String {
        "unknown provider kind \"\(kind)\" (expected one of: \(ProviderCatalog.kinds.joined(separator: ", ")))"
    }
}
