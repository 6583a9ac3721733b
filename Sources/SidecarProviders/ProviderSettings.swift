import Foundation
import SidecarHTTP

/// Everything a provider needs, as plain values: providers never read config files or the environment.
public struct ProviderSettings: Sendable {
    public var name: String
    public var kind: String
    public var baseURL: URL
    public var apiKey: Secret?
    public var models: [String]
    public var timeouts: HTTPTimeouts
    /// Extra headers sent with every request (for example OpenRouter's `HTTP-Referer`).
    public var headers: [String: String]
    public var promptCaching: Bool
    /// The most an upstream can make the sidecar hold of one answer: a non-streaming body, or the data of
    /// one streamed event (`providers[].max_response_bytes`).
    public var maxResponseBytes: Int

    public static let defaultMaxResponseBytes = 32 << 20

    public init(name: String, kind: String, baseURL: URL, apiKey: Secret?, models: [String],
                timeouts: HTTPTimeouts = HTTPTimeouts(connect: .seconds(10), firstByte: .seconds(60),
                                                      idle: .seconds(60), total: .seconds(600)),
                headers: [String: String] = [:], promptCaching: Bool = false,
                maxResponseBytes: Int = ProviderSettings.defaultMaxResponseBytes) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.models = models
        self.timeouts = timeouts
        self.headers = headers
        self.promptCaching = promptCaching
        self.maxResponseBytes = maxResponseBytes
    }
}
