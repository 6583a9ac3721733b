import SidecarProtocol
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "main", kind: "anthropic", secret: Secret("sk-ant-test-key"))

/// A 400 naming a parameter the sidecar forwards is the model refusing it (`parameterRejected`: fails over);
/// any other 400 is a bad request (`callerFault`: ends the chain).
@Suite struct ParameterRejectedTests {
    private func http(_ body: String, status: Int = 400) -> ProviderFailure {
        errors.http(status: status, body: Array(body.utf8), retryAfterMs: nil)
    }

    private func anthropic(_ message: String) -> String {
        #"{"type":"error","error":{"type":"invalid_request_error","message":"\#(message)"}}"#
    }

    /// Messages naming a forwarded parameter as a whole word, in any case, are parameter rejections.
    @Test(arguments: [
        "`temperature` and `top_p` cannot both be specified for this model. Please use only one.",
        "temperature is deprecated for this model.", "TOP_K: unsupported", "max_tokens: 300000 > 128000",
        "Unsupported parameter: 'max_completion_tokens'", "reasoning_effort is not supported",
        "thinking.budget_tokens: must be less than max_tokens", "output_config.effort: unknown value",
        "effort must be one of low, medium, high",
    ])
    func messageNamingAParameter(_ message: String) {
        let failure = http(anthropic(message))
        #expect(failure.failureClass == .parameterRejected, "\(message)")
        #expect(failure.code == .badRequest)
        #expect(!failure.isRetryable && !failure.endsChain && !failure.countsAgainstBreaker)
        #expect(failure.httpStatus == 400)
        #expect(failure.message.hasSuffix(message))
    }

    /// Other 400s stay bad requests: no parameter named, or one only as part of a longer word.
    @Test(arguments: [
        "messages: roles must alternate between \\\"user\\\" and \\\"assistant\\\"",
        "prompt is too long: 210000 tokens > 200000 maximum", "temperatures must be numbers",
        "my_max_tokens is unknown", "overthinking the answer", "Invalid request (simulated by sim-upstream).",
    ])
    func otherRequestErrors(_ message: String) {
        let failure = http(anthropic(message))
        #expect(failure.failureClass == .callerFault, "\(message)")
        #expect(failure.endsChain && !failure.countsAgainstBreaker)
    }

    /// Only a 400 qualifies: a 404 or 422 naming a parameter still ends the chain, and other classes keep theirs.
    @Test(arguments: [(404, FailureClass.callerFault), (422, .callerFault), (429, .rateLimited), (500, .transient)])
    func onlyA400(status: Int, failureClass: FailureClass) {
        #expect(http(anthropic("temperature is not supported"), status: status).failureClass == failureClass)
    }

    /// OpenAI's `param` names the parameter even when the message does not.
    @Test func openAIParam() {
        let named =
            #"{"error":{"message":"Unsupported value for this model.","type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_value"}}"#
        #expect(http(named).failureClass == .parameterRejected)
        let other =
            #"{"error":{"message":"Invalid value.","type":"invalid_request_error","param":"messages[0].role","code":null}}"#
        #expect(http(other).failureClass == .callerFault)
    }

    /// The message is matched after sanitising, so a parameter name inside the redacted key does not count.
    @Test func matchedAfterSanitising() {
        let keyed = UpstreamError(provider: "main", kind: "openai", secret: Secret("sk-temperature-key"))
        let failure = keyed.http(
            status: 400, body: Array(#"{"error":{"message":"bad key sk-temperature-key"}}"#.utf8), retryAfterMs: nil)
        #expect(failure.failureClass == .callerFault)
        #expect(!failure.message.contains("temperature"))
    }

    /// In-stream errors: an `invalid_request_error` (or code 400) naming a parameter, in its message or `param`.
    @Test func inStream() {
        #expect(
            errors.event(type: "invalid_request_error", message: "top_p is not supported").failureClass
                == .parameterRejected)
        #expect(errors.event(type: nil, code: 400, message: "bad temperature").failureClass == .parameterRejected)
        let openAI: JSONValue = [
            "message": "Unsupported parameter.", "type": "invalid_request_error", "param": "max_tokens",
        ]
        #expect(errors.event(openAI).failureClass == .parameterRejected)
        #expect(
            errors.event(type: "invalid_request_error", message: "roles must alternate").failureClass == .callerFault)
        #expect(errors.event(type: "overloaded_error", message: "temperature too high").failureClass == .overloaded)
        #expect(errors.event(type: "not_found_error", message: "thinking model not found").failureClass == .callerFault)
    }
}
