import SidecarProtocol
import SidecarSimulator

/// A hand-written Anthropic stream of one text block, for tests that need usage fields exactly as an upstream
/// writes them (the simulated upstream computes its own): `startUsage` and `deltaUsage` are the members of
/// `message_start`'s and `message_delta`'s `usage` objects, as JSON text.
public enum AnthropicTextStream {
    public static func behaviour(text: String = "Hi", startUsage: String, deltaUsage: String) -> Behaviour {
        .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body(text, startUsage, deltaUsage))
    }

    static func body(_ text: String, _ startUsage: String, _ deltaUsage: String) -> String {
        let events = [
            (
                "message_start",
                #"{"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant","#
                    + #""model":"claude-test","content":[],"stop_reason":null,"usage":{"# + startUsage + "}}}"
            ),
            (
                "content_block_start",
                #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
            ),
            (
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"#
                    + String(decoding: JSONValue.string(text).encoded(), as: UTF8.self) + "}}"
            ),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            (
                "message_delta",
                #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"# + deltaUsage + "}}"
            ),
            ("message_stop", #"{"type":"message_stop"}"#),
        ]
        return events.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined()
    }
}
