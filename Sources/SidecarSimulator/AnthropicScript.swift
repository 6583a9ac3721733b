/// Anthropic Messages API payloads (`POST /v1/messages`), field for field as the streaming and Messages
/// documentation show them.
enum AnthropicScript {
    static func streamEvents(_ plan: ReplyPlan) -> [SSEEvent] {
        var events = [event("message_start", "{\"type\":\"message_start\",\"message\":\(messageHead(plan))}")]
        var index = 0
        var pinged = false
        func startBlock(_ block: String) {
            events.append(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":\(index),\"content_block\":\(block)}"))
            if !pinged {
                events.append(event("ping", "{\"type\": \"ping\"}"))
                pinged = true
            }
        }
        func delta(_ delta: String) {
            events.append(event(
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":\(index),\"delta\":\(delta)}"))
        }
        func stopBlock() {
            events.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":\(index)}"))
            index += 1
        }
        if plan.unknownEvents {
            startBlock("{\"type\":\"thinking\",\"thinking\":\"\"}")
            delta("{\"type\":\"thinking_delta\",\"thinking\":\(JSONText.quote(thinking))}")
            delta("{\"type\":\"signature_delta\",\"signature\":\(JSONText.quote(signature))}")
            stopBlock()
            events.append(event("sim_future_event", "{\"type\":\"sim_future_event\",\"detail\":\"ignore me\"}"))
        }
        if hasTextBlock(plan) {
            startBlock("{\"type\":\"text\",\"text\":\"\"}")
            for piece in plan.textPieces {
                delta("{\"type\":\"text_delta\",\"text\":\(JSONText.quote(piece))}")
            }
            stopBlock()
        }
        for call in plan.calls {
            startBlock(
                "{\"type\":\"tool_use\",\"id\":\(JSONText.quote(call.id)),\"name\":\(JSONText.quote(call.name)),\"input\":{}}")
            delta("{\"type\":\"input_json_delta\",\"partial_json\":\"\"}")
            for fragment in ReplyPlan.fragments(of: call.inputJSON) {
                delta("{\"type\":\"input_json_delta\",\"partial_json\":\(JSONText.quote(fragment))}")
            }
            stopBlock()
        }
        let usage: String
        switch plan.usage {
        case .standard: usage = ",\"usage\":{\"output_tokens\":\(plan.outputTokens)}"
        case .onlyInMessageDelta: usage = ",\"usage\":\(fullUsage(plan))"
        case .none: usage = ""
        }
        events.append(event(
            "message_delta", "{\"type\":\"message_delta\",\"delta\":{\(stopFields(plan))}\(usage)}"))
        events.append(event("message_stop", "{\"type\":\"message_stop\"}"))
        return events
    }

    /// The non-streaming Message object.
    static func message(_ plan: ReplyPlan) -> String {
        var blocks: [String] = []
        if plan.unknownEvents {
            blocks.append(
                "{\"type\":\"thinking\",\"thinking\":\(JSONText.quote(thinking)),\"signature\":\(JSONText.quote(signature))}")
        }
        if hasTextBlock(plan) { blocks.append("{\"type\":\"text\",\"text\":\(JSONText.quote(plan.text))}") }
        for call in plan.calls {
            blocks.append(
                "{\"type\":\"tool_use\",\"id\":\(JSONText.quote(call.id)),\"name\":\(JSONText.quote(call.name)),"
                    + "\"input\":\(call.inputJSON)}")
        }
        let usage = plan.usage == .none ? "" : ",\"usage\":\(fullUsage(plan))"
        return "{\"id\":\(messageID(plan)),\"type\":\"message\",\"role\":\"assistant\",\"model\":\(JSONText.quote(plan.model)),"
            + "\"content\":[\(blocks.joined(separator: ","))],\(stopFields(plan))\(usage)}"
    }

    private static let thinking = "Let me think about this."
    private static let signature = "c2ltLXNpZ25hdHVyZQ=="

    private static func event(_ name: String, _ data: String) -> SSEEvent {
        SSEEvent(name: name, data: data)
    }

    private static func hasTextBlock(_ plan: ReplyPlan) -> Bool {
        !plan.text.isEmpty || plan.calls.isEmpty
    }

    private static func messageID(_ plan: ReplyPlan) -> String {
        "\"msg_sim_\(ReplyPlan.serialText(plan.serial))\""
    }

    /// The Message in `message_start`: empty content, no stop reason yet, usage per the reporting mode.
    private static func messageHead(_ plan: ReplyPlan) -> String {
        let usage: String
        switch plan.usage {
        case .standard:
            usage = ",\"usage\":{\"input_tokens\":\(plan.inputTokens),\"cache_creation_input_tokens\":\(plan.cacheWriteTokens),"
                + "\"cache_read_input_tokens\":\(plan.cacheReadTokens),\"output_tokens\":\(min(1, plan.outputTokens))}"
        case .onlyInMessageDelta: usage = ",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}"
        case .none: usage = ""
        }
        return "{\"id\":\(messageID(plan)),\"type\":\"message\",\"role\":\"assistant\",\"model\":\(JSONText.quote(plan.model)),"
            + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null\(usage)}"
    }

    private static func fullUsage(_ plan: ReplyPlan) -> String {
        "{\"input_tokens\":\(plan.inputTokens),\"cache_creation_input_tokens\":\(plan.cacheWriteTokens),"
            + "\"cache_read_input_tokens\":\(plan.cacheReadTokens),\"output_tokens\":\(plan.outputTokens)}"
    }

    private static func stopFields(_ plan: ReplyPlan) -> String {
        let reason: String
        switch plan.finish {
        case .endTurn: reason = "end_turn"
        case .maxTokens: reason = "max_tokens"
        case .stopSequence: reason = "stop_sequence"
        case .toolUse: reason = "tool_use"
        case .contentFilter: reason = "refusal"
        }
        let sequence = plan.finish == .stopSequence ? "\"STOP\"" : "null"
        return "\"stop_reason\":\"\(reason)\",\"stop_sequence\":\(sequence)"
    }
}
