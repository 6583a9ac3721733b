import Foundation

/// One upstream provider (`providers[]`).
public struct ProviderConfig: Sendable, Equatable {
    /// Which wire API the provider speaks.
    public enum Kind: String, Sendable, CaseIterable {
        /// The Anthropic Messages API.
        case anthropic
        /// OpenAI Chat Completions and compatible servers (OpenRouter, vLLM, llama.cpp, Ollama ...).
        case openai
        /// The built-in deterministic provider: no network, no key. For demos and offline agent tests.
        case simulated
    }

    /// Per-request time limits; see `ConfigDefaults` for the defaults.
    public struct Timeouts: Sendable, Equatable {
        /// Establishing the connection (`connect_timeout_s`).
        public var connect: Duration
        /// From sending the request to the response head (`first_byte_timeout_s`).
        public var firstByte: Duration
        /// Longest silence between two reads of a streaming body (`idle_timeout_s`).
        public var idle: Duration
        /// The whole exchange (`timeout_s`).
        public var total: Duration

        public init(
            connect: Duration = ConfigDefaults.connectTimeout, firstByte: Duration = ConfigDefaults.firstByteTimeout,
            idle: Duration = ConfigDefaults.idleTimeout, total: Duration = ConfigDefaults.totalTimeout
        ) {
            self.connect = connect
            self.firstByte = firstByte
            self.idle = idle
            self.total = total
        }
    }

    /// Unique; the `provider` part of `provider/model`.
    public var name: String
    public var kind: Kind
    /// Nil only for a `simulated` provider configured without one (it then runs in-process).
    public var baseURL: URL?
    /// Name of the environment variable holding the API key (never the key).
    public var apiKeyEnv: String?
    /// Path of a file holding the API key (never the key).
    public var apiKeyFile: String?
    /// Models this provider serves; bare model names resolve through these lists. May be empty, then
    /// only `provider/model` references reach this provider.
    public var models: [String]
    public var timeouts: Timeouts
    /// Retries on the same provider for retryable failures, before failing over.
    public var maxRetries: Int
    /// Whether the request's `cache` hint is turned into provider cache markers.
    public var promptCaching: Bool
    /// Extra headers sent with every request (never credentials; validation refuses auth headers).
    public var headers: [String: String]
    /// The most an upstream can make the sidecar hold of one answer: a non-streaming body, or the data of
    /// one streamed event (`max_response_bytes`).
    public var maxResponseBytes: Int
    /// Effective health-check settings (this provider's `health_check` over the global one).
    public var healthCheck: Config.HealthCheck

    public init(
        name: String, kind: Kind, baseURL: URL? = nil, apiKeyEnv: String? = nil, apiKeyFile: String? = nil,
        models: [String] = [], timeouts: Timeouts = Timeouts(), maxRetries: Int = ConfigDefaults.maxRetries,
        promptCaching: Bool? = nil, headers: [String: String] = [:],
        healthCheck: Config.HealthCheck = Config.HealthCheck(),
        maxResponseBytes: Int = ConfigDefaults.maxResponseBytes
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL ?? ConfigDefaults.baseURL(for: kind)
        self.apiKeyEnv = apiKeyEnv
        self.apiKeyFile = apiKeyFile
        self.models = models
        self.timeouts = timeouts
        self.maxRetries = maxRetries
        self.promptCaching = promptCaching ?? ConfigDefaults.promptCaching(for: kind)
        self.headers = headers
        self.healthCheck = healthCheck
        self.maxResponseBytes = maxResponseBytes
    }
}
