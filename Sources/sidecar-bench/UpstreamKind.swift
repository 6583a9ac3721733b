/// The two provider kinds measured: the sidecar's model name for each, and the equivalent direct request.
enum UpstreamKind: String, CaseIterable {
    case anthropic
    case openai

    /// The sidecar model that routes to this kind (see `BenchConfig`).
    var sidecarModel: String {
        switch self {
        case .anthropic: BenchConfig.anthropicModel
        case .openai: BenchConfig.openAIModel
        }
    }

    /// Bytes that first appear in a streamed body with the first piece of answer text.
    var firstDeltaMarker: [UInt8] {
        switch self {
        case .anthropic: Array("content_block_delta".utf8)
        case .openai: Array("\"delta\":{\"content\":".utf8)
        }
    }

    /// A streaming request as the sidecar's provider would send it for the same prompt.
    func directRequest(port: UInt16, prompt: String) -> [UInt8] {
        let message = "[{\"role\":\"user\",\"content\":\"\(prompt)\"}]"
        let path: String
        let body: String
        var headers = "host: 127.0.0.1:\(port)\r\ncontent-type: application/json\r\naccept: text/event-stream\r\n"
        switch self {
        case .anthropic:
            path = "/v1/messages"
            body = "{\"model\":\"claude-bench\",\"max_tokens\":4096,\"messages\":\(message),\"stream\":true}"
            headers += "x-api-key: sk-ant-test-key\r\nanthropic-version: 2023-06-01\r\n"
        case .openai:
            path = "/v1/chat/completions"
            body = "{\"model\":\"gpt-bench\",\"messages\":\(message),\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}"
            headers += "authorization: Bearer sk-test-key\r\n"
        }
        let bodyBytes = Array(body.utf8)
        return Array("POST \(path) HTTP/1.1\r\n\(headers)content-length: \(bodyBytes.count)\r\n\r\n".utf8) + bodyBytes
    }
}
