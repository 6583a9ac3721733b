import Foundation
import SidecarHTTP
import SidecarProtocol

/// OpenAI Chat Completions (kind `openai`), also for OpenAI-compatible servers (vLLM, Ollama, llama.cpp,
/// OpenRouter...).
///
/// `base_url` includes the version path, as every OpenAI-compatible server documents it
/// (`https://api.openai.com/v1`, `http://localhost:11434/v1`, `https://openrouter.ai/api/v1`):
/// completions go to `POST {base_url}/chat/completions`, the health check to `GET {base_url}/models`.
/// Headers: `Authorization: Bearer <key>` (omitted when no key is configured, for local servers),
/// `content-type: application/json`, then the configured extra headers (e.g. OpenRouter's `HTTP-Referer`).
/// The request body is described in `OpenAIRequestBody`, stream folding in `OpenAIStreamFolder`.
public struct OpenAIProvider: Provider {
    static let defaultBaseURL = URL(string: "https://api.openai.com/v1")!
    /// Prompt caching is off by default: OpenAI caches long prompts without markers. A server on loopback
    /// (llama.cpp, vLLM, Ollama) usually wants no key.
    public static let providerKind = ProviderKind(
        name: "openai", defaultBaseURL: defaultBaseURL, keyRule: .requiredUnlessLoopback,
        make: { OpenAIProvider(settings: $0, transport: $1) })

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
        completionURL = baseURL.appendingPathComponent("chat/completions")
        call = UpstreamCall(settings: settings, kind: Self.providerKind.name, transport: transport)
    }

    public func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error> {
        call.stream(post(request, stream: true), folder: OpenAIStreamFolder(errors: call.errors))
    }

    public func complete(_ request: ProviderRequest) async throws -> ProviderResponse {
        try Self.response(from: try await call.json(post(request, stream: false)), errors: call.errors)
    }

    public func healthCheck() async throws {
        try await call.check(
            HTTPRequest(
                url: baseURL.appendingPathComponent("models"), method: "GET",
                headers: headers(), timeouts: settings.timeouts))
    }

    private func post(_ request: ProviderRequest, stream: Bool) -> HTTPRequest {
        let body = OpenAIRequestBody.make(
            request, stream: stream,
            useMaxCompletionTokens: request.maxCompletionTokens || OpenAIRequestBody.wantsMaxCompletionTokens(baseURL))
        return HTTPRequest(
            url: completionURL, headers: headers(),
            body: body.encoded(), timeouts: settings.timeouts)
    }

    private func headers() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("content-type", "application/json")]
        if let key = settings.apiKey { headers.append(("authorization", "Bearer \(key.exposedValue)")) }
        return UpstreamCall.headers(headers, extra: settings.headers)
    }

    /// A non-streaming answer: `{choices: [{message: {content, tool_calls}, finish_reason}], usage}`;
    /// a compatible server's `reasoning_content` comes first, as a thinking block without signature.
    /// Tool call `arguments` (a JSON string) are parsed; arguments that are not a JSON object make the call
    /// incomplete (`ContentBlock.toolCall`).
    static func response(from json: JSONValue, errors: UpstreamError) throws -> ProviderResponse {
        if let error = json["error"], error != .null {
            throw errors.event(error)
        }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw errors.malformed("no choices[0].message")
        }
        var content: [ContentBlock] = []
        if let reasoning = message["reasoning_content"]?.stringValue, !reasoning.isEmpty {
            content.append(.thinking(text: reasoning, signature: nil))
        }
        if let text = message["content"]?.stringValue ?? message["refusal"]?.stringValue, !text.isEmpty {
            content.append(.text(text))
        }
        for (i, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            content.append(
                .toolCall(
                    id: call["id"]?.stringValue ?? "call_\(i)",
                    name: call["function"]?["name"]?.stringValue ?? "",
                    arguments: call["function"]?["arguments"]?.stringValue ?? ""))
        }
        var usage = UsageAccumulator()
        if let u = json["usage"], u.objectValue != nil {
            usage.merge(.openAI(u, tier: json["service_tier"], text: errors.text))
        }
        let finish = choice["finish_reason"]?.stringValue.map { OpenAIStreamFolder.toStopReason($0, text: errors.text) }
        let refused = !(message["refusal"]?.stringValue ?? "").isEmpty
        let stop = OpenAIStreamFolder.stopReason(finish ?? .endTurn, refused: refused)
        return ProviderResponse(content: content, stopReason: stop, usage: usage.usage)
    }
}
