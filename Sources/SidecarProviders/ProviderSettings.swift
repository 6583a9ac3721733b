import Foundation
import SidecarHTTP

/// Everything a provider needs, as plain values: providers never read config files or the environment.
public struct ProviderSettings: Sendable, Equatable {
    public var name: String
    public var kind: String
    /// Nil: the kind's `ProviderKind.defaultBaseURL`.
    public var baseURL: URL?
    /// Resolved at startup from the configured key source; nil in a parsed config, which never holds keys.
    public var apiKey: Secret?
    public var models: [String]
    public var timeouts: HTTPTimeouts
    /// Extra headers sent with every request (for example OpenRouter's `HTTP-Referer`).
    public var headers: [String: String]
    public var promptCaching: Bool
    /// The most an upstream can make the sidecar hold of one answer: a non-streaming body, or the data of
    /// one streamed event (`providers[].max_response_bytes`).
    public var maxResponseBytes: Int
    /// `providers[].model_rules`: looked up before the kind's built-in table (`ParameterRules`).
    public var modelRules: [ModelRule]

    /// `connect_timeout_s`, `first_byte_timeout_s`, `idle_timeout_s` and `timeout_s` when the config omits them.
    public static let defaultTimeouts = HTTPTimeouts(
        connect: .seconds(10), firstByte: .seconds(60), idle: .seconds(60), total: defaultTotalTimeout)
    /// `timeout_s` when the config omits it; also the request deadline of a routing table without providers.
    public static let defaultTotalTimeout: Duration = .seconds(600)
    public static let defaultMaxResponseBytes = 32 << 20

    public init(
        name: String, kind: String, baseURL: URL? = nil, apiKey: Secret? = nil, models: [String] = [],
        timeouts: HTTPTimeouts = ProviderSettings.defaultTimeouts,
        headers: [String: String] = [:], promptCaching: Bool = false,
        maxResponseBytes: Int = ProviderSettings.defaultMaxResponseBytes, modelRules: [ModelRule] = []
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.models = models
        self.timeouts = timeouts
        self.headers = headers
        self.promptCaching = promptCaching
        self.maxResponseBytes = maxResponseBytes
        self.modelRules = modelRules
    }
}
