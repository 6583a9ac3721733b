import Foundation
import SidecarHTTP
import SidecarProtocol

/// The Anthropic Messages API (kind `anthropic`).
///
/// `base_url` is the API root without a version, e.g. `https://api.anthropic.com`: completions go to
/// `POST {base_url}/v1/messages`, the health check to `GET {base_url}/v1/models`. Headers: `x-api-key`,
/// `anthropic-version: 2023-06-01`, `content-type: application/json`, then the configured extra headers
/// (which may replace the defaults, e.g. another `anthropic-version`, or add `anthropic-beta`).
/// The request body is described in `AnthropicRequestBody`, stream folding in `AnthropicStreamFolder`.
public struct AnthropicProvider: Provider {
    public static let apiVersion = "2023-06-01"
    static let defaultBaseURL = URL(string: "https://api.anthropic.com")!
    /// Prompt caching is on by default: Anthropic caches only where the request places markers.
    public static let providerKind = ProviderKind(
        name: "anthropic", defaultBaseURL: defaultBaseURL, promptCachingByDefault: true, keyRule: .required,
        make: { AnthropicProvider(settings: $0, transport: $1) })

    public var name: String { settings.name }
    public var kind: String { Self.providerKind.name }
    public let parameterRules: ParameterRules
    private let settings: ProviderSettings
    private let baseURL: URL
    private let call: UpstreamCall
    /// Built once: `appendingPathComponent` costs ~15 µs on Linux, on every request's path.
    private let completionURL: URL

    public init(settings: ProviderSettings, transport: any HTTPTransport) {
        self.settings = settings
        parameterRules = ParameterRules(kind: Self.providerKind.name, overrides: settings.modelRules)
        baseURL = settings.baseURL ?? Self.defaultBaseURL
        completionURL = baseURL.appendingPathComponent("v1/messages")
        call = UpstreamCall(settings: settings, kind: Self.providerKind.name, transport: transport)
    }

    public func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error> {
        call.stream(
            post(request, stream: true),
            folder: AnthropicStreamFolder(errors: call.errors, stopSequences: request.completion.stop))
    }

    public func complete(_ request: ProviderRequest) async throws -> ProviderResponse {
        try Self.response(
            from: try await call.json(post(request, stream: false)), errors: call.errors,
            stopSequences: request.completion.stop)
    }

    public func healthCheck() async throws {
        try await call.check(
            HTTPRequest(
                url: baseURL.appendingPathComponent("v1/models"), method: "GET",
                headers: headers(), timeouts: settings.timeouts))
    }

    private func post(_ request: ProviderRequest, stream: Bool) -> HTTPRequest {
        var request = request
        request.promptCaching = request.promptCaching || settings.promptCaching
        return HTTPRequest(
            url: completionURL,
            headers: headers(), body: AnthropicRequestBody.make(request, stream: stream).encoded(),
            timeouts: settings.timeouts)
    }

    private func headers() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("anthropic-version", Self.apiVersion), ("content-type", "application/json"),
        ]
        if let key = settings.apiKey { headers.append(("x-api-key", key.exposedValue)) }
        return UpstreamCall.headers(headers, extra: settings.headers)
    }

    /// A non-streaming Messages API answer: `{content: [...], stop_reason, usage}`.
    static func response(from json: JSONValue, errors: UpstreamError, stopSequences: [String]) throws
        -> ProviderResponse
    {
        if json["type"] == "error" {
            throw errors.event(json["error"] ?? .null)
        }
        guard let blocks = json["content"]?.arrayValue else { throw errors.malformed("no content array") }
        var content: [ContentBlock] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text":
                content.append(.text(block["text"]?.stringValue ?? ""))
            case "tool_use":
                content.append(
                    .toolUse(
                        id: block["id"]?.stringValue ?? "", name: block["name"]?.stringValue ?? "",
                        input: block["input"] ?? [:]))
            case "thinking":
                content.append(
                    .thinking(text: block["thinking"]?.stringValue ?? "", signature: block["signature"]?.stringValue))
            case "redacted_thinking":
                content.append(.redactedThinking(data: block["data"]?.stringValue ?? ""))
            default:
                break  // block types added later
            }
        }
        var usage = UsageAccumulator()
        if let u = json["usage"] { usage.merge(.anthropic(u, text: errors.text)) }
        let stop =
            AnthropicStreamFolder.toStopReason(in: json, requested: stopSequences, text: errors.text) ?? .endTurn
        return ProviderResponse(content: content, stopReason: stop, usage: usage.usage)
    }
}
