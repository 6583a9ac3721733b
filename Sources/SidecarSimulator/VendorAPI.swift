/// The two wire dialects the simulator speaks; each renders replies and errors the way its vendor documents.
enum VendorAPI {
    case anthropic
    case openAI

    var idPrefix: String {
        switch self {
        case .anthropic: "toolu_sim_"
        case .openAI: "call_sim_"
        }
    }

    func streamEvents(_ plan: ReplyPlan) -> [SSEEvent] {
        switch self {
        case .anthropic: AnthropicScript.streamEvents(plan)
        case .openAI: OpenAIScript.streamEvents(plan)
        }
    }

    func message(_ plan: ReplyPlan) -> String {
        switch self {
        case .anthropic: AnthropicScript.message(plan)
        case .openAI: OpenAIScript.completion(plan)
        }
    }

    /// The in-stream error event for an error of `type` (an Anthropic error type name).
    func errorEvent(type: String) -> SSEEvent {
        let message = VendorError.message(forType: type)
        switch self {
        case .anthropic:
            return SSEEvent(
                name: "error",
                data: #"{"type":"error","error":{"type":\#(type.jsonQuoted),"message":\#(message.jsonQuoted)}}"#)
        case .openAI:
            return SSEEvent(
                name: nil,
                data:
                    #"{"error":{"message":\#(message.jsonQuoted),"type":\#(type.jsonQuoted),"param":null,"code":null}}"#
            )
        }
    }

    /// The documented error body for `status`.
    func errorBody(status: Int, serial: Int) -> String {
        switch self {
        case .anthropic:
            let type = VendorError.anthropicType(forStatus: status)
            let message = VendorError.message(forType: type)
            return #"{"type":"error","error":{"type":\#(type.jsonQuoted),"message":\#(message.jsonQuoted)},"#
                + #""request_id":"req_sim_\#(ReplyPlan.serialText(serial))"}"#
        case .openAI:
            let error = VendorError.openAIError(forStatus: status)
            return #"{"error":{"message":\#(error.message.jsonQuoted),"type":\#(error.type.jsonQuoted),"#
                + #""param":null,"code":\#(JSONText.quoteOrNull(error.code))}}"#
        }
    }

    /// The health-check answer: a short models list.
    var modelsList: String {
        switch self {
        case .anthropic:
            #"{"data":[{"type":"model","id":"claude-sim-1","display_name":"Claude Sim 1","#
                + #""created_at":"2025-01-01T00:00:00Z"}],"has_more":false,"first_id":"claude-sim-1","#
                + #""last_id":"claude-sim-1"}"#
        case .openAI:
            #"{"object":"list","data":[{"id":"gpt-sim-1","object":"model","created":1735689600,"#
                + #""owned_by":"sim-upstream"}]}"#
        }
    }
}
