import SidecarProtocol

/// One normalized event of an upstream answer. Registry and ledger see nothing vendor-specific.
public enum StreamEvent: Sendable, Equatable {
    /// Content to forward to the client as a `chunk`.
    case delta(Delta)
    /// The usage known so far, cumulative: the last `.usage` event of a stream is the total.
    case usage(Usage)
    /// The model finished. A successful stream's last content event.
    case stop(StopReason)
}

/// What a provider is asked to do: the client's request, resolved to one upstream model.
public struct ProviderRequest: Sendable {
    /// The model name as the upstream knows it (without the `provider/` prefix).
    public var model: String
    public var completion: CompletionRequest
    /// Resolved from the request, else the agent, else the documented default (4096).
    public var maxTokens: Int
    /// True when the provider has `prompt_caching` or the request set `cache`.
    public var promptCaching: Bool
    /// Send the output limit as `max_completion_tokens` (kind `openai`): set by the model's `ParameterRule`.
    public var maxCompletionTokens = false

    public static let defaultMaxTokens = 4096

    public init(model: String, completion: CompletionRequest, maxTokens: Int, promptCaching: Bool) {
        self.model = model
        self.completion = completion
        self.maxTokens = maxTokens
        self.promptCaching = promptCaching
    }
}

/// A whole answer from a non-streaming call.
public struct ProviderResponse: Sendable, Equatable {
    public var content: [ContentBlock]
    public var stopReason: StopReason
    public var usage: Usage

    public init(content: [ContentBlock], stopReason: StopReason, usage: Usage) {
        self.content = content
        self.stopReason = stopReason
        self.usage = usage
    }
}

/// An upstream LLM API.
///
/// Contract: `stream` yields content deltas as they arrive, `.usage` whenever it learns more, and
/// `.stop` once; it finishes normally after `.stop`, or throws a `ProviderFailure`. It yields nothing
/// before the first real content (preamble events such as Anthropic's `message_start` or `ping` are
/// absorbed), so a failure before content can still fail over. Terminating the stream (the consumer
/// stops iterating or its task is cancelled) cancels the upstream HTTP request.
public protocol Provider: Sendable {
    /// The configured provider name (`providers[].name`).
    var name: String { get }
    /// The configured kind (`anthropic`, `openai`, `simulated`).
    var kind: String { get }
    func stream(_ request: ProviderRequest) -> AsyncThrowingStream<StreamEvent, Error>
    /// The upstream's non-streaming mode (`stream: false`).
    func complete(_ request: ProviderRequest) async throws -> ProviderResponse
    /// A cheap authenticated request that spends no tokens (the models list). Throws `ProviderFailure`.
    func healthCheck() async throws
    /// What the registry does with a request's parameters for each model, before calling `stream` or `complete`.
    var parameterRules: ParameterRules { get }
}

extension Provider {
    /// The built-in rules of the kind, for a provider with no `model_rules`.
    public var parameterRules: ParameterRules { ParameterRules(kind: kind) }
}
