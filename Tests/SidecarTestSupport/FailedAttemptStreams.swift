/// Hand-written upstream streams that report usage and then fail before any content, in the two shapes real
/// upstreams send (issue 11), with the usage each should be charged in the sidecar's terms.
public enum FailedAttemptStreams {
    public static let eventStream = ["content-type": "text/event-stream"]

    /// Anthropic: `message_start` reports input and cache counts, then an `overloaded_error` event.
    public static let anthropicOverloaded = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_f1","type":"message","role":"assistant","model":"m",\
        "content":[],"stop_reason":null,"usage":{"input_tokens":120,"cache_read_input_tokens":40,\
        "cache_creation_input_tokens":8,"output_tokens":1}}}

        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


        """

    /// Input 120, output 1, cache read 40, cache write 8: 169 in all.
    public static let anthropicTokens = (input: 120, output: 1, cacheRead: 40, cacheWrite: 8)

    /// OpenAI-compatible (as OpenRouter sends it): an error chunk that also carries the usage, then `[DONE]`.
    public static func openAIError(code: Int) -> String {
        """
        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,\
        "delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","error":{"code":\(code),"message":"upstream failed"},\
        "choices":[],"usage":{"prompt_tokens":50,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":20}}}

        data: [DONE]


        """
    }

    /// Input 30 (50 prompt tokens less 20 cached), output 7, cache read 20: 57 in all.
    public static let openAITokens = (input: 30, output: 7, cacheRead: 20)
}
