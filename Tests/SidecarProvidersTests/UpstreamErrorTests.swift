import SidecarHTTP
import SidecarProtocol
import Testing

@testable import SidecarProviders

private let errors = UpstreamError(provider: "main", kind: "anthropic", secret: Secret("sk-ant-test-key"))

@Suite struct UpstreamErrorTests {
    /// Each HTTP status maps to its failure class and wire code.
    @Test(arguments: [
        (400, FailureClass.callerFault, ErrorCode.badRequest), (404, .callerFault, .badRequest),
        (413, .callerFault, .badRequest), (422, .callerFault, .badRequest), (401, .credential, .upstreamError),
        (403, .credential, .upstreamError), (408, .rateLimited, .rateLimited), (409, .rateLimited, .rateLimited),
        (429, .rateLimited, .rateLimited), (500, .transient, .upstreamError), (502, .transient, .upstreamError),
        (503, .transient, .upstreamError), (504, .transient, .upstreamError), (529, .overloaded, .overloaded),
    ])
    func mapsStatus(status: Int, failureClass: FailureClass, code: ErrorCode) {
        let failure = errors.http(
            status: status, body: Array(#"{"type":"error","error":{"type":"x","message":"m"}}"#.utf8),
            retryAfterMs: nil)
        #expect(failure.failureClass == failureClass)
        #expect(failure.code == code)
        #expect(failure.httpStatus == status)
    }

    /// The message names the provider and upstream's message, carries retry-after, and never the key.
    @Test func messageAndRedaction() {
        let body =
            #"{"error":{"message":"Incorrect API key provided: sk-ant-test-key","type":"invalid_request_error"}}"#
        let failure = errors.http(status: 401, body: Array(body.utf8), retryAfterMs: 2000)
        #expect(failure.message.hasPrefix("anthropic provider \"main\": HTTP 401"))
        #expect(failure.message.contains("Incorrect API key provided: <redacted>"))
        #expect(!failure.message.contains("sk-ant-test-key"))
        #expect(failure.retryAfterMs == 2000)
        #expect(failure.sidecarError.retryAfterMs == 2000)
    }

    /// An overloaded_error body is overloaded whatever the status; a non-JSON body is quoted as text.
    @Test func bodyShapes() {
        let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        #expect(errors.http(status: 503, body: Array(overloaded.utf8), retryAfterMs: nil).failureClass == .overloaded)
        let html = errors.http(status: 502, body: Array("<html>Bad gateway</html>".utf8), retryAfterMs: nil)
        #expect(html.message.contains("Bad gateway"))
        #expect(UpstreamError.detail(of: Array(#"{"detail":"Not found"}"#.utf8)).message == "Not found")
    }

    /// Transport errors: refused and lost connections are transient, timeouts are timeouts, cancel stays cancel.
    @Test func transportErrors() {
        #expect(
            (errors.map(HTTPTransportError.connectionFailed("refused")) as? ProviderFailure)?.failureClass == .transient
        )
        #expect(
            (errors.map(HTTPTransportError.connectionLost("reset")) as? ProviderFailure)?.failureClass == .transient)
        #expect((errors.map(HTTPTransportError.timedOut("idle")) as? ProviderFailure)?.failureClass == .timeout)
        #expect(errors.map(HTTPTransportError.cancelled) is CancellationError)
    }

    /// An in-stream error with a known type is classified by it, as its HTTP status would be, whatever its code.
    @Test(arguments: [
        ("invalid_request_error", FailureClass.callerFault, ErrorCode.badRequest),
        ("authentication_error", .credential, .upstreamError), ("permission_error", .credential, .upstreamError),
        ("rate_limit_error", .rateLimited, .rateLimited), ("overloaded_error", .overloaded, .overloaded),
        ("api_error", .transient, .upstreamError),
    ])
    func eventKnownTypeWins(type: String, failureClass: FailureClass, code: ErrorCode) {
        let failure = errors.event(type: type, code: "rate_limit_exceeded", message: "m")
        #expect(failure.failureClass == failureClass)
        #expect(failure.code == code)
        #expect(failure.isRetryable == (failureClass != .callerFault && failureClass != .credential))
    }

    /// When the type is absent or unknown (OpenAI's `requests`), the code decides: a known name or an HTTP
    /// status; anything else is transient.
    @Test(arguments: [
        (String?("requests"), JSONValue?("rate_limit_exceeded"), FailureClass.rateLimited),
        (nil, "invalid_api_key", .credential), (nil, 400, .callerFault), (nil, 429, .rateLimited),
        (nil, 529, .overloaded), (nil, 503, .transient), (nil, "tool_use_failed", .transient), (nil, 7, .transient),
        (nil, nil, .transient),
    ])
    func eventCodeDecidesWhenTypeSaysNothing(type: String?, code: JSONValue?, failureClass: FailureClass) {
        #expect(errors.event(type: type, code: code, message: "m").failureClass == failureClass)
    }

    /// Type, code and message of an in-stream error go through the sanitiser.
    @Test func eventTextIsSanitised() {
        let failure = errors.event(
            type: "invalid_request_error", code: "sk-ant-test-key", message: "bad key sk-ant-test-key\nend")
        #expect(
            failure.message
                == #"anthropic provider "main": invalid_request_error, code unknown: bad key <redacted> end"#)
        #expect(
            errors.event(type: "Not A Name", code: 400, message: nil).message.hasSuffix(
                ": unknown, code 400: no message"))
    }
}
