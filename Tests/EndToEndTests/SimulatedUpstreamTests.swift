import Foundation
import SidecarSimulator
import SidecarTestSupport
import Testing

/// Exercises the simulated upstream's bytes over real TCP with a raw HTTP client.
@Suite struct SimulatedUpstreamTests {
    static let anthropicHeaders = [
        ("x-api-key", "sk-ant-test-key"), ("anthropic-version", "2023-06-01"), ("content-type", "application/json"),
    ]
    static let openAIHeaders = [("authorization", "Bearer sk-test-key"), ("content-type", "application/json")]

    static func messagesBody(model: String = "claude-test", stream: Bool = true, text: String = "Hello") -> String {
        "{\"model\":\"\(model)\",\"max_tokens\":256,\"stream\":\(stream),"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"\(text)\"}]}"
    }

    static func chatBody(model: String = "gpt-test", stream: Bool = true, includeUsage: Bool = true) -> String {
        "{\"model\":\"\(model)\",\"stream\":\(stream),\"stream_options\":{\"include_usage\":\(includeUsage)},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"
    }

    /// A started upstream with no pacing, so the tests run at full speed.
    static func upstream() throws -> SimulatedUpstream {
        let upstream = SimulatedUpstream(pacingMilliseconds: 0)
        try upstream.start()
        return upstream
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    static func anthropic(_ upstream: SimulatedUpstream, model: String = "claude-test", stream: Bool = true)
        throws -> RawHTTPResponse
    {
        try RawHTTPConnection(port: upstream.port).exchange(
            path: "/v1/messages", headers: anthropicHeaders, body: messagesBody(model: model, stream: stream))
    }

    static func openAI(
        _ upstream: SimulatedUpstream, model: String = "gpt-test", stream: Bool = true, includeUsage: Bool = true
    ) throws -> RawHTTPResponse {
        try RawHTTPConnection(port: upstream.port).exchange(
            path: "/v1/chat/completions", headers: openAIHeaders,
            body: chatBody(model: model, stream: stream, includeUsage: includeUsage))
    }

    static func delta(_ chunk: [String: Any]) -> [String: Any]? {
        (chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
    }

    static func finishReason(_ chunk: [String: Any]) -> String? {
        (chunk["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
    }

    /// An Anthropic stream has the documented event sequence, one event per chunk, and the usage it was given.
    @Test func anthropicStreamFollowsTheDocumentedSequence() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(
            .reply("Hello world", inputTokens: 12, outputTokens: 3, cacheReadTokens: 4, cacheWriteTokens: 5))
        let response = try Self.anthropic(upstream)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
        #expect(response.headers["transfer-encoding"] == "chunked")
        let events = parseTestSSE(response.bodyText)
        #expect(response.chunks.count == events.count)
        #expect(
            events.map(\.event) == [
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop",
            ])
        let start = Self.json(events[0].data)["message"] as? [String: Any]
        #expect(
            start?["usage"] as? [String: Int] == [
                "input_tokens": 12, "cache_creation_input_tokens": 5, "cache_read_input_tokens": 4, "output_tokens": 1,
            ])
        let text = events.filter { $0.event == "content_block_delta" }
            .compactMap { (Self.json($0.data)["delta"] as? [String: Any])?["text"] as? String }.joined()
        #expect(text == "Hello world")
        let delta = Self.json(events[6].data)
        #expect((delta["delta"] as? [String: Any])?["stop_reason"] as? String == "end_turn")
        #expect(delta["usage"] as? [String: Int] == ["output_tokens": 3])
        #expect(events[7].data == "{\"type\":\"message_stop\"}")
    }

    /// An OpenAI stream with include_usage ends with a usage chunk whose choices are empty, then `[DONE]`;
    /// earlier chunks carry `"usage":null`, and prompt_tokens counts cached tokens too.
    @Test func openAIStreamEndsWithUsageChunkThenDone() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.reply("Hi there", inputTokens: 10, outputTokens: 2, cacheReadTokens: 6))
        let events = parseTestSSE(try Self.openAI(upstream).bodyText)
        #expect(events.allSatisfy { $0.event == nil })
        #expect(events.last?.data == "[DONE]")
        let usageChunk = Self.json(events[events.count - 2].data)
        #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
        let usage = usageChunk["usage"] as? [String: Any]
        #expect(usage?["prompt_tokens"] as? Int == 16)
        #expect(usage?["completion_tokens"] as? Int == 2)
        #expect(usage?["total_tokens"] as? Int == 18)
        #expect((usage?["prompt_tokens_details"] as? [String: Int])?["cached_tokens"] == 6)
        let chunks = events.dropLast(2).map { Self.json($0.data) }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" && $0["usage"] is NSNull })
        #expect(chunks.compactMap { Self.delta($0)?["content"] as? String }.joined() == "Hi there")
        #expect(chunks.last.flatMap(Self.finishReason) == "stop")
    }

    /// Without include_usage (or against a server that never reports usage) no usage appears at all.
    @Test func openAIStreamWithoutUsage() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let plain = try Self.openAI(upstream, includeUsage: false).bodyText
        upstream.enqueue(.noUsage)
        let noUsage = try Self.openAI(upstream, includeUsage: true).bodyText
        for body in [plain, noUsage] {
            #expect(!body.contains("\"usage\""))
            #expect(parseTestSSE(body).last?.data == "[DONE]")
        }
    }

    /// Tool calls stream as tool_use blocks with input_json_delta (Anthropic) and indexed tool_calls deltas
    /// (OpenAI); the fragments join to the given arguments.
    @Test func toolUseStreamsOnBothAPIs() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let arguments = #"{"city":"Zürich","days":3}"#
        upstream.enqueue(.toolUse(name: "forecast", inputJSON: arguments, id: "toolu_1"), count: 2)
        let anthropic = parseTestSSE(try Self.anthropic(upstream).bodyText).map { Self.json($0.data) }
        let start = anthropic.first { $0["type"] as? String == "content_block_start" }
        let block = start?["content_block"] as? [String: Any]
        #expect(block?["type"] as? String == "tool_use")
        #expect(block?["name"] as? String == "forecast")
        #expect(block?["id"] as? String == "toolu_1")
        let partial = anthropic.compactMap { ($0["delta"] as? [String: Any])?["partial_json"] as? String }.joined()
        #expect(partial == arguments)
        #expect(anthropic.contains { ($0["delta"] as? [String: Any])?["stop_reason"] as? String == "tool_use" })

        let openAI = parseTestSSE(try Self.openAI(upstream).bodyText).dropLast().map { Self.json($0.data) }
        let calls = openAI.compactMap { (Self.delta($0)?["tool_calls"] as? [[String: Any]])?.first }
        #expect(calls.first?["id"] as? String == "toolu_1")
        #expect((calls.first?["function"] as? [String: Any])?["name"] as? String == "forecast")
        #expect(calls.allSatisfy { $0["index"] as? Int == 0 })
        let joined = calls.compactMap { ($0["function"] as? [String: Any])?["arguments"] as? String }.joined()
        #expect(joined == arguments)
        #expect(openAI.contains { Self.finishReason($0) == "tool_calls" })
    }

    /// `stream: false` returns a Message object (Anthropic) and a chat.completion object (OpenAI).
    @Test func nonStreamingReturnsOneJSONObject() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.reply("Done.", inputTokens: 7, outputTokens: 2), count: 2)
        let anthropic = try Self.anthropic(upstream, stream: false)
        #expect(anthropic.headers["content-length"] == String(anthropic.body.count))
        let message = anthropic.bodyJSON
        #expect(message?["type"] as? String == "message")
        #expect((message?["content"] as? [[String: Any]])?.first?["text"] as? String == "Done.")
        #expect(message?["stop_reason"] as? String == "end_turn")
        #expect((message?["usage"] as? [String: Int])?["input_tokens"] == 7)

        let completion = try Self.openAI(upstream, stream: false).bodyJSON
        #expect(completion?["object"] as? String == "chat.completion")
        let choice = (completion?["choices"] as? [[String: Any]])?.first
        #expect((choice?["message"] as? [String: Any])?["content"] as? String == "Done.")
        #expect(choice?["finish_reason"] as? String == "stop")
        #expect((completion?["usage"] as? [String: Any])?["completion_tokens"] as? Int == 2)
    }

    /// Wrong credentials get 401 in each vendor's error shape, a missing anthropic-version gets 400, and
    /// neither consumes a queued behaviour.
    @Test func rejectsBadCredentials() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.reply("queued"))
        let connection = try RawHTTPConnection(port: upstream.port)
        let wrongKey = try connection.exchange(
            path: "/v1/messages", headers: [("x-api-key", "sk-ant-wrong"), ("anthropic-version", "2023-06-01")],
            body: Self.messagesBody())
        #expect(wrongKey.status == 401)
        #expect(wrongKey.bodyJSON?["type"] as? String == "error")
        #expect((wrongKey.bodyJSON?["error"] as? [String: Any])?["type"] as? String == "authentication_error")
        let noVersion = try connection.exchange(
            path: "/v1/messages", headers: [("x-api-key", "sk-ant-test-key")], body: Self.messagesBody())
        #expect(noVersion.status == 400)
        let wrongBearer = try connection.exchange(
            path: "/chat/completions", headers: [("authorization", "Bearer sk-wrong")], body: Self.chatBody())
        #expect(wrongBearer.status == 401)
        #expect((wrongBearer.bodyJSON?["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
        #expect(!wrongBearer.bodyText.contains("sk-wrong"))
        #expect(try connection.exchange(method: "GET", path: "/v1/models").status == 401)
        let queued = try Self.anthropic(upstream, stream: false)
        #expect((queued.bodyJSON?["content"] as? [[String: Any]])?.first?["text"] as? String == "queued")
    }

    /// Each scripted status comes back with the vendor's error type, and retry-after when given.
    @Test(arguments: [
        (400, "invalid_request_error"), (401, "authentication_error"), (429, "rate_limit_error"), (500, "api_error"),
        (529, "overloaded_error"),
    ])
    func statusBehaviours(status: Int, anthropicType: String) throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.status(status, retryAfter: "7"), count: 2)
        let anthropic = try Self.anthropic(upstream)
        #expect(anthropic.status == status)
        #expect(anthropic.headers["retry-after"] == "7")
        #expect((anthropic.bodyJSON?["error"] as? [String: Any])?["type"] as? String == anthropicType)
        #expect(anthropic.bodyJSON?["request_id"] is String)
        let openAI = try Self.openAI(upstream)
        #expect(openAI.status == status)
        let error = openAI.bodyJSON?["error"] as? [String: Any]
        #expect(error?["message"] is String)
        #expect(error?["type"] is String)
        #expect(error?.keys.contains("param") == true)
    }

    /// Model names select behaviours when nothing is queued.
    @Test func modelNamesSelectBehaviours() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        #expect(try Self.anthropic(upstream, model: "sim-fail-500").status == 500)
        #expect(try Self.openAI(upstream, model: "sim-fail-529").status == 529)
        let limited = try Self.anthropic(upstream, model: "sim-fail-429")
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] == "1")
        let tools = parseTestSSE(try Self.anthropic(upstream, model: "sim-tools").bodyText)
        #expect(tools.contains { $0.data.contains("\"get_weather\"") })
        let aborted = try Self.openAI(upstream, model: "sim-abort-3")
        #expect(!aborted.complete)
        #expect(parseTestSSE(aborted.bodyText).count == 3)
        #expect(try Self.anthropic(upstream, model: "sim-tools+crlf").bodyText.contains("\r\n\r\n"))
    }

    /// Two requests travel on one keep-alive connection, and the log shows the same connection id.
    @Test func keepAliveServesSeveralRequestsPerConnection() async throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let connection = try RawHTTPConnection(port: upstream.port)
        let first = try connection.exchange(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Self.messagesBody())
        let second = try connection.exchange(
            path: "/chat/completions", headers: Self.openAIHeaders, body: Self.chatBody(stream: false))
        #expect(first.complete && second.complete)
        #expect(first.status == 200 && second.status == 200)
        #expect(await upstream.waitForFinished(count: 2))
        let log = upstream.requests()
        #expect(log.count == 2)
        #expect(log.first?.connectionID == log.last?.connectionID)
        #expect(log.allSatisfy { $0.outcome == .completed })
    }

    /// A client that closes mid-stream is recorded as disconnected; waiting for it needs no sleep.
    @Test func clientDisconnectMidStreamIsRecorded() async throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(Behaviour.reply(String(repeating: "word ", count: 200)).paced(milliseconds: 20))
        let connection = try RawHTTPConnection(port: upstream.port)
        try connection.sendRequest(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Array(Self.messagesBody().utf8))
        #expect(try connection.readHead().status == 200)
        #expect(try connection.readChunk()?.isEmpty == false)
        connection.close()
        #expect(await upstream.waitForDisconnect())
        #expect(upstream.requests().first?.clientDisconnected == true)
    }

    /// A hanging request never answers; the client giving up is recorded.
    @Test func hangIsRecordedAsDisconnectWhenClientGivesUp() async throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.hang)
        let connection = try RawHTTPConnection(port: upstream.port)
        try connection.sendRequest(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Array(Self.messagesBody().utf8))
        #expect(await upstream.waitForRequests(count: 1))
        #expect(upstream.requests().first?.outcome == .inProgress)
        connection.close()
        #expect(await upstream.waitForDisconnect())
    }

    /// abortAfter closes the connection after exactly N events, without the last chunk.
    @Test func abortClosesMidStream() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.abortAfter(events: 4))
        let response = try Self.anthropic(upstream)
        #expect(!response.complete)
        #expect(
            parseTestSSE(response.bodyText).map(\.event) == [
                "message_start", "content_block_start", "ping", "content_block_delta",
            ])
        #expect(upstream.requests().first?.outcome == .aborted)
    }

    /// An in-stream error ends the stream: Anthropic `event: error`, OpenAI an error object and no `[DONE]`.
    @Test func errorEventMidStream() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.errorEvent(afterEvents: 4, type: "overloaded_error"), count: 2)
        let anthropic = try Self.anthropic(upstream)
        #expect(anthropic.complete)
        let events = parseTestSSE(anthropic.bodyText)
        #expect(events.count == 5)
        #expect(events.last?.event == "error")
        #expect(
            events.last?.data
                == "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
        let openAI = parseTestSSE(try Self.openAI(upstream).bodyText)
        #expect(openAI.count == 5)
        let error = Self.json(openAI.last?.data ?? "")["error"] as? [String: Any]
        #expect(error?["type"] as? String == "overloaded_error")
        #expect(!openAI.contains { $0.data == "[DONE]" })
    }

    /// Splitting writes every byte in its own chunk (cutting multi-byte characters and CR LF pairs) without
    /// changing the events; random splits, CR endings and comments decode to the same events too.
    @Test func wireShapesKeepTheEvents() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let reply = Behaviour.reply("Grüße, 世界 🌍", inputTokens: 5, outputTokens: 4)
        upstream.enqueue(reply)
        let reference = parseTestSSE(try Self.anthropic(upstream).bodyText)
        upstream.enqueue(reply.split(.every(1)).lineEnding(.crlf))
        let bytewise = try Self.anthropic(upstream)
        #expect(bytewise.chunks.allSatisfy { $0.count == 1 })
        #expect(bytewise.bodyText.contains("\r\n\r\n"))
        upstream.enqueue(reply.split(.random(seed: 7)).lineEnding(.cr).withComments().withByteOrderMark())
        let random = try Self.anthropic(upstream)
        #expect(random.body.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!random.body.contains(10))
        #expect(random.bodyText.contains(": keepalive"))
        let normalize = { (events: [TestSSEEvent]) in
            events.map { $0.data.replacingOccurrences(of: #"msg_sim_\d+"#, with: "msg", options: .regularExpression) }
        }
        #expect(normalize(parseTestSSE(bytewise.bodyText)) == normalize(reference))
        #expect(normalize(parseTestSSE(random.bodyText)) == normalize(reference))
    }

    /// Anthropic-compatible usage variants and unknown events appear as documented.
    @Test func usageVariantsAndUnknownEvents() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.usageOnlyInMessageDelta)
        let deltaOnly = parseTestSSE(try Self.anthropic(upstream).bodyText).map { Self.json($0.data) }
        let startUsage = (deltaOnly.first?["message"] as? [String: Any])?["usage"] as? [String: Int]
        #expect(startUsage == ["input_tokens": 0, "output_tokens": 0])
        let finalUsage = deltaOnly.first { $0["type"] as? String == "message_delta" }?["usage"] as? [String: Int]
        #expect((finalUsage?["input_tokens"] ?? 0) > 0)
        upstream.enqueue(.unknownEvents)
        let unknown = parseTestSSE(try Self.anthropic(upstream).bodyText)
        #expect(unknown.contains { $0.data.contains("\"type\":\"thinking\"") })
        #expect(unknown.contains { $0.event == "sim_future_event" })
    }

    /// Health-check endpoints answer each vendor's models list and do not consume completion behaviours.
    @Test func modelsEndpoints() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        upstream.enqueue(.status(500))
        let connection = try RawHTTPConnection(port: upstream.port)
        let anthropic = try connection.exchange(method: "GET", path: "/v1/models", headers: Self.anthropicHeaders)
        #expect(anthropic.status == 200)
        #expect(anthropic.bodyJSON?["has_more"] as? Bool == false)
        let openAI = try connection.exchange(method: "GET", path: "/models", headers: Self.openAIHeaders)
        #expect(openAI.bodyJSON?["object"] as? String == "list")
        #expect(try Self.anthropic(upstream).status == 500)
        upstream.enqueue(.status(503), for: [.models])
        #expect(try connection.exchange(method: "GET", path: "/v1/models", headers: Self.openAIHeaders).status == 503)
    }

    /// The control API queues behaviours, returns the log with exact headers and bodies, and resets.
    @Test func controlAPI() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let connection = try RawHTTPConnection(port: upstream.port)
        let queued = try connection.exchange(
            path: "/_sim/enqueue",
            body: #"[{"kind":"status","status":503,"retry_after":"2"},{"kind":"reply","text":"ok","count":2}]"#)
        #expect(queued.bodyJSON?["queued"] as? Int == 3)
        let failed = try Self.openAI(upstream)
        #expect(failed.status == 503)
        #expect(failed.headers["retry-after"] == "2")
        #expect(try Self.anthropic(upstream, stream: false).bodyText.contains("\"text\":\"ok\""))
        #expect(try connection.exchange(path: "/_sim/enqueue", body: #"{"kind":"nonsense"}"#).status == 400)
        let log = try connection.exchange(method: "GET", path: "/_sim/requests").bodyJSON?["requests"]
        let entries = log as? [[String: Any]]
        #expect(entries?.count == 2)
        #expect((entries?.first?["headers"] as? [String: String])?["authorization"] == "Bearer sk-test-key")
        #expect(entries?.first?["body"] as? String == Self.chatBody())
        #expect(entries?.first?["endpoint"] as? String == "chat_completions")
        #expect(try connection.exchange(path: "/_sim/reset").status == 200)
        #expect(upstream.requests().isEmpty)
    }

    /// Wire shaping and reply fields given to the control API reach the wire.
    @Test func controlAPIShapesTheWire() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        let connection = try RawHTTPConnection(port: upstream.port)
        let behaviour =
            #"{"kind":"reply","text":"Hé","split":1,"line_ending":"crlf","bom":true,"#
            + #""tool_calls":[{"name":"lookup","input":{"q":"x"}}],"cache_read_tokens":9}"#
        #expect(try connection.exchange(path: "/_sim/enqueue", body: behaviour).status == 200)
        let response = try Self.anthropic(upstream)
        #expect(response.chunks.allSatisfy { $0.count == 1 })
        #expect(response.body.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(response.bodyText.contains("\r\n"))
        let events = parseTestSSE(response.bodyText).map { Self.json($0.data) }
        let usage = (events.first?["message"] as? [String: Any])?["usage"] as? [String: Int]
        #expect(usage?["cache_read_input_tokens"] == 9)
        #expect(events.compactMap { ($0["delta"] as? [String: Any])?["text"] as? String }.joined() == "Hé")
        let partial = events.compactMap { ($0["delta"] as? [String: Any])?["partial_json"] as? String }.joined()
        #expect(partial == #"{"q":"x"}"#)
    }

    /// `stop` cuts streams in flight and refuses new connections.
    @Test func stopClosesEverything() async throws {
        let upstream = try Self.upstream()
        upstream.enqueue(.hang)
        let connection = try RawHTTPConnection(port: upstream.port)
        try connection.sendRequest(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Array(Self.messagesBody().utf8))
        #expect(await upstream.waitForRequests(count: 1))
        upstream.stop()
        #expect(connection.serverClosed())
        #expect(throws: RawHTTPError.self) { try RawHTTPConnection(port: upstream.port) }
    }

    /// The default reply is deterministic and depends on the last user message.
    @Test func defaultReplyDependsOnLastUserMessage() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        func reply(_ text: String) throws -> String? {
            let response = try RawHTTPConnection(port: upstream.port).exchange(
                path: "/v1/messages", headers: Self.anthropicHeaders, body: Self.messagesBody(stream: false, text: text)
            )
            return (response.bodyJSON?["content"] as? [[String: Any]])?.first?["text"] as? String
        }
        #expect(try reply("What is two plus two?") == reply("What is two plus two?"))
        #expect(try reply("What is two plus two?") != reply("Name a colour."))
    }

    /// The request log keeps the exact body and the credential only in its header.
    @Test func logRecordsExactRequest() throws {
        let upstream = try Self.upstream()
        defer { upstream.stop() }
        _ = try Self.anthropic(upstream)
        let entry = try #require(upstream.requests().first)
        #expect(entry.method == "POST")
        #expect(entry.path == "/v1/messages")
        #expect(entry.endpoint == .messages)
        #expect(entry.model == "claude-test")
        #expect(entry.header("X-Api-Key") == "sk-ant-test-key")
        #expect(entry.bodyText == Self.messagesBody())
        #expect(entry.bodyJSON?["max_tokens"] as? Int == 256)
    }

    /// A hundred streams in flight at once (all requests sent before any response is read) all complete.
    @Test func servesConcurrentStreams() throws {
        let upstream = SimulatedUpstream(pacingMilliseconds: 1)
        try upstream.start()
        defer { upstream.stop() }
        let connections = try (0..<100).map { _ in try RawHTTPConnection(port: upstream.port) }
        for connection in connections {
            try connection.sendRequest(
                path: "/v1/messages", headers: Self.anthropicHeaders, body: Array(Self.messagesBody().utf8))
        }
        let responses = try connections.map { try $0.readResponse() }
        #expect(responses.allSatisfy { $0.complete && $0.status == 200 })
        #expect(Set(upstream.requests().map(\.connectionID)).count == 100)
    }
}
