/// Anthropic Messages API payloads (`POST /v1/messages`), field for field as the streaming and Messages
/// documentation show them.
enum AnthropicScript {
    static func streamEvents(_ plan: ReplyPlan) -> [SSEEvent] {
        var events = [
            SSEEvent(name: "message_start", data: #"{"type":"message_start","message":\#(messageHead(plan))}"#)
        ]
        var index = 0
        var pinged = false
        func startBlock(_ block: String) {
            events.append(
                SSEEvent(
                    name: "content_block_start",
                    data: #"{"type":"content_block_start","index":\#(index),"content_block":\#(block)}"#))
            // The documented stream pings once, right after the first block starts.
            if !pinged {
                events.append(SSEEvent(name: "ping", data: #"{"type": "ping"}"#))
                pinged = true
            }
        }
        func delta(_ delta: String) {
            events.append(
                SSEEvent(
                    name: "content_block_delta",
                    data: #"{"type":"content_block_delta","index":\#(index),"delta":\#(delta)}"#))
        }
        func stopBlock() {
            events.append(
                SSEEvent(name: "content_block_stop", data: #"{"type":"content_block_stop","index":\#(index)}"#))
            index += 1
        }
        if plan.unknownEvents {
            startBlock(#"{"type":"thinking","thinking":""}"#)
            delta(#"{"type":"thinking_delta","thinking":\#(thinking.jsonQuoted)}"#)
            delta(#"{"type":"signature_delta","signature":\#(signature.jsonQuoted)}"#)
            stopBlock()
            events.append(
                SSEEvent(name: "sim_future_event", data: #"{"type":"sim_future_event","detail":"ignore me"}"#))
        }
        if hasTextBlock(plan) {
            startBlock(#"{"type":"text","text":""}"#)
            for piece in plan.textPieces {
                delta(#"{"type":"text_delta","text":\#(piece.jsonQuoted)}"#)
            }
            stopBlock()
        }
        for call in plan.calls {
            startBlock(#"{"type":"tool_use","id":\#(call.id.jsonQuoted),"name":\#(call.name.jsonQuoted),"input":{}}"#)
            delta(#"{"type":"input_json_delta","partial_json":""}"#)
            for fragment in ReplyPlan.fragments(of: call.inputJSON) {
                delta(#"{"type":"input_json_delta","partial_json":\#(fragment.jsonQuoted)}"#)
            }
            stopBlock()
        }
        let usage: String
        switch plan.usage {
        case .standard: usage = #","usage":{"output_tokens":\#(plan.outputTokens)}"#
        case .onlyInMessageDelta: usage = #","usage":\#(fullUsage(plan))"#
        case .none: usage = ""
        }
        events.append(
            SSEEvent(
                name: "message_delta", data: #"{"type":"message_delta","delta":{\#(stopFields(plan))}\#(usage)}"#))
        events.append(SSEEvent(name: "message_stop", data: #"{"type":"message_stop"}"#))
        return events
    }

    /// The non-streaming Message object.
    static func message(_ plan: ReplyPlan) -> String {
        var blocks: [String] = []
        if plan.unknownEvents {
            blocks.append(
                #"{"type":"thinking","thinking":\#(thinking.jsonQuoted),"signature":\#(signature.jsonQuoted)}"#)
        }
        if hasTextBlock(plan) { blocks.append(#"{"type":"text","text":\#(plan.text.jsonQuoted)}"#) }
        for call in plan.calls {
            let fields = #""id":\#(call.id.jsonQuoted),"name":\#(call.name.jsonQuoted),"input":\#(call.inputJSON)"#
            blocks.append(#"{"type":"tool_use",\#(fields)}"#)
        }
        let usage = plan.usage == .none ? "" : #","usage":\#(fullUsage(plan))"#
        return #"{"id":\#(messageID(plan)),"type":"message","role":"assistant","model":\#(plan.model.jsonQuoted),"#
            + #""content":[\#(blocks.joined(separator: ","))],\#(stopFields(plan))\#(usage)}"#
    }

    private static let thinking = "Let me think about this."
    private static let signature = "c2ltLXNpZ25hdHVyZQ=="

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
            usage =
                #","usage":{"input_tokens":\#(plan.inputTokens),"#
                + #""cache_creation_input_tokens":\#(plan.cacheWriteTokens),"#
                + #""cache_read_input_tokens":\#(plan.cacheReadTokens),"output_tokens":\#(min(1, plan.outputTokens))}"#
        case .onlyInMessageDelta: usage = #","usage":{"input_tokens":0,"output_tokens":0}"#
        case .none: usage = ""
        }
        return #"{"id":\#(messageID(plan)),"type":"message","role":"assistant","model":\#(plan.model.jsonQuoted),"#
            + #""content":[],"stop_reason":null,"stop_sequence":null\#(usage)}"#
    }

    private static func fullUsage(_ plan: ReplyPlan) -> String {
        #"{"input_tokens":\#(plan.inputTokens),"cache_creation_input_tokens":\#(plan.cacheWriteTokens),"#
            + #""cache_read_input_tokens":\#(plan.cacheReadTokens),"output_tokens":\#(plan.outputTokens)}"#
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
        let sequence = plan.finish == .stopSequence ? #""STOP""# : "null"
        return #""stop_reason":"\#(reason)","stop_sequence":\#(sequence)"#
    }
}
