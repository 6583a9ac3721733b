import Foundation
import SidecarHTTP

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

    private var path: String {
        switch self {
        case .anthropic: "/v1/messages"
        case .openai: "/v1/chat/completions"
        }
    }

    /// The headers the sidecar's provider sends, with the simulator's fake keys.
    private var headers: [(name: String, value: String)] {
        let common = [(name: "content-type", value: "application/json"), (name: "accept", value: "text/event-stream")]
        switch self {
        case .anthropic: return common + [("x-api-key", "sk-ant-test-key"), ("anthropic-version", "2023-06-01")]
        case .openai: return common + [("authorization", "Bearer sk-test-key")]
        }
    }

    /// A streaming request body as the sidecar's provider would build it for `prompt`.
    private func body(prompt: String) -> [UInt8] {
        let messages = "[{\"role\":\"user\",\"content\":\"\(prompt)\"}]"
        switch self {
        case .anthropic:
            return Array(
                "{\"model\":\"claude-bench\",\"max_tokens\":4096,\"messages\":\(messages),\"stream\":true}".utf8)
        case .openai:
            return Array(
                ("{\"model\":\"gpt-bench\",\"messages\":\(messages),\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true}}").utf8)
        }
    }

    /// The request as bytes for `HTTPStreamClient`.
    func rawRequest(port: UInt16, prompt: String) -> [UInt8] {
        let body = body(prompt: prompt)
        var head = "POST \(path) HTTP/1.1\r\nhost: 127.0.0.1:\(port)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        return Array((head + "content-length: \(body.count)\r\n\r\n").utf8) + body
    }

    /// The request for the in-process transports (`SocketHTTPTransport`, `URLSessionTransport`).
    func httpRequest(port: UInt16, prompt: String) throws -> HTTPRequest {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw BenchError("bad upstream URL") }
        return HTTPRequest(url: url, headers: headers, body: body(prompt: prompt))
    }
}
