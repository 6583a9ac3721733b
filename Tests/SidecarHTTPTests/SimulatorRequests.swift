import Foundation
import SidecarHTTP
import SidecarSimulator

/// An Anthropic request for the simulator, with a fake key (streaming unless `stream` is false).
func messagesRequest(
    to upstream: SimulatedUpstream, model: String = "sim", stream: Bool = true, timeouts: HTTPTimeouts = HTTPTimeouts()
) -> HTTPRequest {
    let body =
        #"{"model":"\#(model)","max_tokens":64,"stream":\#(stream),"#
        + #""messages":[{"role":"user","content":"héllo"}]}"#
    return HTTPRequest(
        url: upstream.baseURL.appendingPathComponent("v1/messages"),
        headers: [
            (name: "x-api-key", value: "sk-ant-test-key"), (name: "anthropic-version", value: "2023-06-01"),
            (name: "content-type", value: "application/json"),
        ],
        body: Array(body.utf8), timeouts: timeouts)
}

/// Every event of an SSE body.
func readEvents(_ body: HTTPBody) async throws -> [SidecarHTTP.SSEEvent] {
    var parser = SSEParser()
    var events: [SidecarHTTP.SSEEvent] = []
    for try await piece in body { events += try parser.feed(piece) }
    return events + (try parser.finish())
}

/// The text deltas of an Anthropic event stream, concatenated.
func streamedText(_ events: [SidecarHTTP.SSEEvent]) -> String {
    events.filter { $0.event == "content_block_delta" }.compactMap { event in
        let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
        return (object?["delta"] as? [String: Any])?["text"] as? String
    }.joined()
}
