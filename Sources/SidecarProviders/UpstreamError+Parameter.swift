/// A 400 that names a parameter the sidecar forwards is the model refusing that parameter (Anthropic's
/// "`temperature` and `top_p` cannot both be specified for this model", OpenAI's "Unsupported parameter:
/// 'max_tokens'"), not a malformed request: another candidate may take it, so it is `parameterRejected`
/// and the chain moves on instead of ending.
extension UpstreamError {
    /// The sampling and limit parameters the sidecar sends upstream, as either API spells them. `stop` is left
    /// out: as an English word it would turn unrelated 400s into rejections.
    static let forwardedParameters: Set<String> = [
        "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "reasoning_effort", "thinking",
        "output_config", "effort",
    ]

    /// Whether `message` (already sanitised) or OpenAI's `param` field names a forwarded parameter as a whole
    /// word, case-insensitively. Words are runs of ASCII letters, digits and `_`, so `max_tokens` is not found
    /// in `max_completion_tokens`, and `thinking.budget_tokens` names `thinking`.
    static func namesForwardedParameter(message: String, param: String?) -> Bool {
        [message, param ?? ""].contains { text in
            text.lowercased()
                .split { !($0.isASCII && ($0.isLetter || $0.isNumber)) && $0 != "_" }
                .contains { forwardedParameters.contains(String($0)) }
        }
    }

    /// `failureClass` narrowed to `parameterRejected` when it is a 400-like caller fault naming a parameter.
    static func refine(_ failureClass: FailureClass, is400: Bool, message: String, param: String?) -> FailureClass {
        guard failureClass == .callerFault, is400, namesForwardedParameter(message: message, param: param) else {
            return failureClass
        }
        return .parameterRejected
    }
}
