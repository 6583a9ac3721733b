import SidecarProtocol
import Testing

@testable import SidecarProviders

/// The answer the sidecar should come to, read from what the vendor's SDK accumulated (`reference.json`), in
/// the sidecar's documented terms: stop reasons and error types mapped as README's Providers section says,
/// OpenAI input tokens without the cached ones, a refusal as text.
///
/// Not compared: blocks the sidecar drops by design (`server_tool_use`, `web_search_tool_result`,
/// `compaction`: the upstream's own bookkeeping, which a client cannot send back usefully), reasoning
/// token counts (included in the output count), an OpenAI-compatible server's `reasoning_content` (which the
/// OpenAI SDK does not accumulate) and the SDKs' wording of error messages.
extension FoldedAnswer {
    init(reference: JSONValue, vendor: Kind) throws {
        text = try #require(reference["text"]?.stringValue) + (reference["refusal"]?.stringValue ?? "")
        toolCalls = try (reference["tool_calls"]?.arrayValue ?? []).map { call in
            ToolCall(
                id: try #require(call["id"]?.stringValue), name: try #require(call["name"]?.stringValue),
                input: try #require(call["input"]))
        }
        switch vendor {
        case .anthropic: thinkingBlocks = try (reference["thinking"]?.arrayValue ?? []).map(Self.thinkingBlock)
        case .openai: thinkingBlocks = nil
        }
        if let error = reference["error"], error != .null {
            outcome = .failed(error["type"]?.stringValue.flatMap { Self.failureClasses[$0] })
        } else {
            outcome = .stopped(try Self.stopReason(reference, vendor: vendor))
        }
        usage = try Self.usage(reference["usage"], vendor: vendor)
    }

    /// A block of the SDK's `thinking` list, in the Messages API's shape.
    private static func thinkingBlock(_ block: JSONValue) throws -> ContentBlock {
        if block["type"] == "redacted_thinking" {
            return .redactedThinking(data: try #require(block["data"]?.stringValue))
        }
        return .thinking(
            text: try #require(block["thinking"]?.stringValue), signature: block["signature"]?.stringValue)
    }

    /// Anthropic's stop reason as itself (with no matched sequence: the replayed request asks for no stop
    /// sequence, so none may be reported); OpenAI's finish reason mapped, and `refusal` when the answer
    /// carried one.
    private static func stopReason(_ reference: JSONValue, vendor: Kind) throws -> StopReason {
        switch vendor {
        case .anthropic:
            let reason = try #require(reference["stop_reason"]?.stringValue)
            return StopReason(rawValue: reason)
        case .openai:
            if !(reference["refusal"]?.stringValue ?? "").isEmpty { return .refusal }
            let reason = try #require(reference["finish_reason"]?.stringValue)
            return try #require(openAIFinishReasons[reason], "no stop reason for \(reason)")
        }
    }

    private static let openAIFinishReasons: [String: StopReason] = [
        "stop": .endTurn, "length": .maxTokens, "tool_calls": .toolUse, "content_filter": .contentFilter,
    ]

    /// Error types as the vendors document them; the same classes their HTTP statuses get.
    private static let failureClasses: [String: FailureClass] = [
        "invalid_request_error": .callerFault, "authentication_error": .credential, "permission_error": .credential,
        "rate_limit_error": .rateLimited, "overloaded_error": .overloaded, "api_error": .transient,
    ]

    private static func usage(_ report: JSONValue?, vendor: Kind) throws -> Usage {
        guard let report, report != .null else { return .unreported }
        func count(_ key: String) -> Int? { report[key]?.intValue }
        switch vendor {
        case .anthropic:
            return Usage(
                inputTokens: try #require(count("input_tokens")), outputTokens: try #require(count("output_tokens")),
                cacheReadTokens: count("cache_read_input_tokens") ?? 0,
                cacheWriteTokens: count("cache_creation_input_tokens") ?? 0)
        case .openai:
            let cached = count("cached_tokens") ?? 0
            return Usage(
                inputTokens: try #require(count("prompt_tokens")) - cached,
                outputTokens: try #require(count("completion_tokens")), cacheReadTokens: cached,
                reasoningTokens: count("reasoning_tokens"))
        }
    }
}
