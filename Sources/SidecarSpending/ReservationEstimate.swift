import SidecarProtocol

/// What a request reserves against its agent's budget before dispatch.
///
/// Tokens: the estimated input plus the request's `max_tokens` (the most it may generate). The input
/// estimate is `ceil(UTF-8 bytes / 4)` over every text the upstream will tokenize: the system prompt,
/// text blocks, tool-use names and JSON inputs, tool results, tool definitions (name, description,
/// JSON schema) and stop sequences, plus a flat 1,600 tokens per image (the most Anthropic charges for
/// one image within its size limits). Four bytes per token is the usual rule of thumb for English and
/// code; it underestimates scripts with multi-byte characters, which the budget absorbs because the
/// reservation is replaced by the upstream's actual usage when the request ends.
///
/// Cost: the input estimate at the model's input price plus `max_tokens` at its output price (its
/// long-context prices when the estimate is above their threshold); nil when the model has no price, and
/// then only the token budget applies to the request.
public struct ReservationEstimate: Sendable, Equatable {
    public var tokens: Int
    public var costUSD: Double?

    public init(tokens: Int, costUSD: Double?) {
        self.tokens = tokens
        self.costUSD = costUSD
    }

    /// - Parameters:
    ///   - maxTokens: the request's `max_tokens`, or the agent's default when the request has none.
    ///   - price: the price of the model the request will most likely use (the first candidate of its
    ///     failover chain); nil when unpriced.
    public init(request: CompletionRequest, maxTokens: Int, price: Pricing.Price?) {
        let input = Self.inputTokens(of: request)
        tokens = input + maxTokens
        costUSD = price.map { base in
            let price = base.forPrompt(tokens: input)
            return (Double(input) * price.input + Double(maxTokens) * price.output) / 1_000_000
        }
    }

    /// Images count this many tokens each.
    public static let imageTokens = 1600

    /// The input-token estimate described above: `ceil(text bytes / 4) + 1600 × images`.
    public static func inputTokens(of request: CompletionRequest) -> Int {
        var bytes = request.system?.utf8.count ?? 0
        var images = 0
        func count(_ blocks: [ContentBlock]) {
            for block in blocks {
                switch block {
                case .text(let text): bytes += text.utf8.count
                case .toolUse(let id, let name, let input):
                    bytes += id.utf8.count + name.utf8.count + input.encoded().count
                case .incompleteToolUse(let id, let name, let partialJSON):
                    bytes += id.utf8.count + name.utf8.count + partialJSON.utf8.count
                case .toolResult(let id, let content, _):
                    bytes += id.utf8.count
                    count(content)
                case .image: images += 1
                case .thinking(let text, _): bytes += text.utf8.count
                case .redactedThinking: break  // opaque; signatures and encrypted reasoning are not read as text
                }
            }
        }
        for message in request.messages { count(message.content) }
        for tool in request.tools {
            bytes += tool.name.utf8.count + (tool.description?.utf8.count ?? 0) + tool.inputSchema.encoded().count
        }
        for stop in request.stop { bytes += stop.utf8.count }
        return (bytes + 3) / 4 + images * imageTokens
    }
}
