/// Error types, messages and statuses as the vendors document them.
enum VendorError {
    /// Anthropic's error `type` for an HTTP status.
    static func anthropicType(forStatus status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }

    /// The HTTP status that goes with an Anthropic error type (for non-streaming in-stream errors).
    static func status(forType type: String) -> Int {
        switch type {
        case "authentication_error": 401
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "overloaded_error": 529
        case "api_error": 500
        default: 400
        }
    }

    static func message(forType type: String) -> String {
        switch type {
        case "authentication_error": "invalid x-api-key"
        case "permission_error": "Your API key does not have permission to use the specified resource."
        case "not_found_error": "The requested resource could not be found."
        case "request_too_large": "Request exceeds the maximum allowed number of bytes."
        case "rate_limit_error": "Number of request tokens has exceeded your per-minute rate limit."
        case "overloaded_error": "Overloaded"
        case "api_error": "Internal server error"
        case "invalid_request_error": "Invalid request (simulated by sim-upstream)."
        default: "Simulated \(type)"
        }
    }

    /// OpenAI's error object fields for an HTTP status. The 401 message names no key, unlike OpenAI's, which
    /// echoes a masked one: the simulator never handles a real key, and tests check no key leaks.
    static func openAIError(forStatus status: Int) -> (message: String, type: String, code: String?) {
        switch status {
        case 401:
            (
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", "invalid_api_key"
            )
        case 403: ("You are not allowed to access this resource.", "invalid_request_error", nil)
        case 404:
            ("The model does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")
        case 429: ("Rate limit reached for requests. Please try again in 1s.", "requests", "rate_limit_exceeded")
        case 503, 529: ("That model is currently overloaded with other requests.", "server_error", nil)
        case 500...: ("The server had an error while processing your request. Sorry about that!", "server_error", nil)
        default: ("Invalid request (simulated by sim-upstream).", "invalid_request_error", nil)
        }
    }
}
