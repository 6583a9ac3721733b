import Foundation
import SidecarHTTP

/// One value of `providers[].kind`: what the config needs to know about the kind and how to build it.
/// Each kind declares its own in its provider's file; `ProviderCatalog` lists them.
public struct ProviderKind: Sendable {
    /// Which key sources (`api_key_env`, `api_key_file`) a provider of this kind takes.
    public enum KeyRule: Sendable {
        /// None: the kind has no upstream to authenticate to.
        case none
        /// Exactly one.
        case required
        /// Exactly one, except a server on the loopback interface, which may have none.
        case requiredUnlessLoopback
    }

    public typealias Factory = @Sendable (ProviderSettings, any HTTPTransport) -> any Provider

    /// The `kind` as written in the config, and as `Provider.kind` reports it.
    public let name: String
    /// The base URL when the config gives none; nil for a kind with no upstream.
    public let defaultBaseURL: URL?
    /// `prompt_caching` when the config does not set it.
    public let promptCachingByDefault: Bool
    public let keyRule: KeyRule
    /// Logged at startup for each provider of this kind, when the operator should know something about it.
    public let startupNote: String?
    let make: Factory

    public init(
        name: String, defaultBaseURL: URL?, promptCachingByDefault: Bool = false, keyRule: KeyRule,
        startupNote: String? = nil, make: @escaping Factory
    ) {
        self.name = name
        self.defaultBaseURL = defaultBaseURL
        self.promptCachingByDefault = promptCachingByDefault
        self.keyRule = keyRule
        self.startupNote = startupNote
        self.make = make
    }
}
