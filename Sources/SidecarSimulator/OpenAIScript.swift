/// OpenAI Chat Completions payloads (`POST /chat/completions`), as the API reference shows the
/// `chat.completion` object and the `chat.completion.chunk` stream.
enum OpenAIScript {
    static func streamEvents(_ plan: ReplyPlan) -> [SSEEvent] {
        let hasText = !plan.text.isEmpty || plan.calls.isEmpty
        var events = [
            chunk(plan, delta: #"{"role":"assistant","content":\#(hasText ? #""""# : "null"),"refusal":null}"#)
        ]
        if plan.unknownEvents {
            events.append(chunk(plan, delta: #"{"reasoning_content":"Let me think about this."}"#))
        }
        if hasText {
            for piece in plan.textPieces {
                events.append(chunk(plan, delta: #"{"content":\#(piece.jsonQuoted)}"#))
            }
        }
        for (index, call) in plan.calls.enumerated() {
            let function = #"{"name":\#(call.name.jsonQuoted),"arguments":""}"#
            let opening = #"{"index":\#(index),"id":\#(call.id.jsonQuoted),"type":"function","function":\#(function)}"#
            events.append(chunk(plan, delta: #"{"tool_calls":[\#(opening)]}"#))
            for fragment in ReplyPlan.fragments(of: call.inputJSON) {
                events.append(
                    chunk(
                        plan,
                        delta: #"{"tool_calls":[{"index":\#(index),"function":{"arguments":\#(fragment.jsonQuoted)}}]}"#
                    ))
            }
        }
        events.append(chunk(plan, delta: "{}", finishReason: "\"\(finishReason(plan))\""))
        if reportsStreamUsage(plan) {
            events.append(
                SSEEvent(
                    name: nil,
                    data: head(plan, object: "chat.completion.chunk") + #""choices":[],"usage":\#(usage(plan))}"#))
        }
        events.append(SSEEvent(name: nil, data: "[DONE]"))
        return events
    }

    /// The non-streaming `chat.completion` object.
    static func completion(_ plan: ReplyPlan) -> String {
        let content = plan.text.isEmpty && !plan.calls.isEmpty ? "null" : plan.text.jsonQuoted
        var message = #"{"role":"assistant","content":\#(content),"refusal":null"#
        if !plan.calls.isEmpty {
            let calls = plan.calls.map { call in
                #"{"id":\#(call.id.jsonQuoted),"type":"function","#
                    + #""function":{"name":\#(call.name.jsonQuoted),"arguments":\#(call.inputJSON.jsonQuoted)}}"#
            }
            message += #","tool_calls":[\#(calls.joined(separator: ","))]"#
        }
        message += "}"
        let usageField = plan.usage == .none ? "" : #","usage":\#(usage(plan))"#
        return head(plan, object: "chat.completion")
            + #""choices":[{"index":0,"message":\#(message),"logprobs":null,"#
            + #""finish_reason":"\#(finishReason(plan))"}]\#(usageField)}"#
    }

    private static func head(_ plan: ReplyPlan, object: String) -> String {
        #"{"id":"chatcmpl-sim-\#(ReplyPlan.serialText(plan.serial))","object":"\#(object)","#
            + #""created":\#(plan.created),"model":\#(plan.model.jsonQuoted),"system_fingerprint":"fp_sim","#
    }

    /// One chunk with a single choice; with `include_usage` every chunk but the last carries `"usage":null`.
    private static func chunk(_ plan: ReplyPlan, delta: String, finishReason: String = "null") -> SSEEvent {
        let usageNull = reportsStreamUsage(plan) ? #","usage":null"# : ""
        return SSEEvent(
            name: nil,
            data: head(plan, object: "chat.completion.chunk")
                + #""choices":[{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishReason)}]"#
                + "\(usageNull)}")
    }

    private static func reportsStreamUsage(_ plan: ReplyPlan) -> Bool {
        plan.includeUsage && plan.usage != .none
    }

    /// OpenAI's `prompt_tokens` counts every input token, cached ones included.
    private static func usage(_ plan: ReplyPlan) -> String {
        let prompt = plan.inputTokens + plan.cacheReadTokens + plan.cacheWriteTokens
        return #"{"prompt_tokens":\#(prompt),"completion_tokens":\#(plan.outputTokens),"#
            + #""total_tokens":\#(prompt + plan.outputTokens),"#
            + #""prompt_tokens_details":{"cached_tokens":\#(plan.cacheReadTokens),"audio_tokens":0},"#
            + #""completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"#
            + #""accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}"#
    }

    private static func finishReason(_ plan: ReplyPlan) -> String {
        switch plan.finish {
        case .endTurn, .stopSequence: "stop"
        case .maxTokens: "length"
        case .toolUse: "tool_calls"
        case .contentFilter: "content_filter"
        }
    }
}
