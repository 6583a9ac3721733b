import SidecarProtocol

/// Errors reported inside a 200 answer: an Anthropic `error` event, an OpenAI-compatible `{"error": ...}`
/// chunk, or such an object as a whole non-streaming body.
extension UpstreamError {
    /// `error` is `{type, code, message, param}` (any of them may be missing) or a bare message string.
    func event(_ error: JSONValue) -> ProviderFailure {
        event(
            type: error["type"]?.stringValue, code: error["code"],
            message: error["message"]?.stringValue ?? error.stringValue, param: error["param"]?.stringValue)
    }

    /// Classified by the `type` when it is a known name, as the vendors document their types alongside HTTP
    /// statuses; else by the `code` (a known name, or an HTTP status as some gateways send); else transient.
    /// The type goes first because codes are open-ended: Groq's `tool_use_failed` comes with
    /// `invalid_request_error`, and classifying by the unknown code would retry a bad request three times and
    /// count each try against the breaker. An `invalid_request_error` (or code 400) naming a forwarded parameter,
    /// in its message or `param`, is `parameterRejected`.
    func event(type: String?, code: JSONValue? = nil, message: String?, param: String? = nil) -> ProviderFailure {
        let codeName = code?.stringValue ?? code?.intValue.map(String.init)
        let label = [type.map(text.name), codeName.map { "code \(text.name($0))" }].compactMap { $0 }
        let shown = text.message(message ?? "no message")
        let is400 = type == "invalid_request_error" || codeName == "invalid_request_error" || codeName == "400"
        return ProviderFailure(
            Self.refine(
                Self.failureClass(type: type, code: code), is400: is400, message: shown,
                param: param.map(text.message)),
            "\(prefix): \(label.isEmpty ? "error" : label.joined(separator: ", ")): \(shown)")
    }

    private static func failureClass(type: String?, code: JSONValue?) -> FailureClass {
        if let type, let known = eventClasses[type] { return known }
        if let code = code?.stringValue, let known = eventClasses[code] { return known }
        if let status = code?.intValue, (100...599).contains(status) { return failureClass(status: status) }
        return .transient
    }

    /// Error types and codes of Anthropic, OpenAI and common compatible servers, each with the class its HTTP
    /// status gets (`failureClass(status:)`); Anthropic's `timeout_error` is a timeout.
    private static let eventClasses: [String: FailureClass] = [
        "invalid_request_error": .callerFault, "not_found_error": .callerFault, "request_too_large": .callerFault,
        "billing_error": .callerFault,
        "authentication_error": .credential, "permission_error": .credential, "invalid_api_key": .credential,
        "rate_limit_error": .rateLimited, "rate_limit_exceeded": .rateLimited, "rate_limited": .rateLimited,
        "insufficient_quota": .rateLimited,
        "overloaded_error": .overloaded, "overloaded": .overloaded, "server_overloaded": .overloaded,
        "api_error": .transient, "server_error": .transient,
        "timeout_error": .timeout,
    ]
}
