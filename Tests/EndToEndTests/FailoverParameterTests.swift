import SidecarProtocol
import SidecarSimulator
import Testing

/// A 400 refusing a model-specific parameter moves on to the next candidate, over real HTTP: the next model
/// may take the parameter. It is not retried and does not count against the breaker.
extension FailoverTests {
    static let rejectsTemperature = #"""
        {"type":"error","error":{"type":"invalid_request_error","message":"`temperature` is deprecated for this model."}}
        """#
    static let rejectsMaxTokens = #"""
        {"error":{"message":"Unsupported parameter: this model does not take it.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}
        """#

    /// The first candidate rejects `temperature` with a 400, once each time: the second answers, and after
    /// more rejections than the breaker's threshold the first is still closed.
    @Test func parameterRejectionFailsOver() throws {
        for i in 0..<3 {
            upstream.enqueue(.status(400, body: Self.rejectsTemperature), count: 1, for: [.messages])
            let (_, done) = try ask("p400-\(i)")
            #expect(done["provider"] == "openai", "\(done)")
            #expect(Self.attempts(done) == ["anthropic:bad_request", "openai:ok"])
        }
        #expect(upstream.requests().filter { $0.endpoint == .messages }.count == 3)
        let status = try fixture.connect().request(["type": "status", "id": "s"])
        let anthropic = status["report"]?["providers"]?.arrayValue?.first { $0["name"] == "anthropic" }
        #expect(anthropic?["state"] == "closed", "\(status)")
    }

    /// Every candidate rejects a parameter: the request ends with `bad_request` and the last upstream's message.
    @Test func parameterRejectionWithNoCandidateLeft() throws {
        upstream.enqueue(.status(400, body: Self.rejectsTemperature), count: 1, for: [.messages])
        upstream.enqueue(.raw(status: 400, body: Self.rejectsMaxTokens), count: 1, for: [.chatCompletions])
        let (chunks, terminal) = try ask("p400-last")
        #expect(chunks.isEmpty)
        #expect(terminal["error"]?["code"] == "bad_request", "\(terminal)")
        #expect(terminal["error"]?["retryable"] != true)
        let message = terminal["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("anthropic/claude-test: bad_request, openai/gpt-test: bad_request"), "\(message)")
        #expect(message.contains("Unsupported parameter: this model does not take it."), "\(message)")
    }
}
