import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Checks proto-spec/vectors/sessions against the parser and the encoders: every session is well formed,
/// its refused requests are the ones `ClientMessage.parse` refuses, and frames built by `ServerMessage` for
/// a plausible run satisfy its patterns under `SessionMatcher`'s ordering rules.
@Suite struct SessionVectorTests {
    static let sessions: [SessionScript] = {
        do {
            return try SessionScript.all()
        } catch {
            Issue.record("cannot load sessions: \(error)")
            return []
        }
    }()

    static let placeholders: Set<String> = [
        "<any>", "<string>", "<int>", "<number>", "<bool>", "<object>", "<array>",
        "<absent>",
    ]

    /// Each session has modes, starts with a message when run in line mode, ends by awaiting frames, sends raw
    /// wire bytes only when framed-only, uses only the documented placeholders, and never ends an id's lines
    /// with a repeat.
    @Test(arguments: Self.sessions.map(\.name)) func isWellFormed(_ name: String) throws {
        let session = try #require(Self.sessions.first { $0.name == name })
        #expect(!session.modes.isEmpty)
        #expect(!session.steps.isEmpty)
        if session.modes.contains(.lines) {
            var startsWithMessage = false
            if case .message? = session.steps.first?.send.first { startsWithMessage = true }
            #expect(startsWithMessage, "in line mode the first byte must be `{`")
        }
        for step in session.steps {
            #expect(!step.send.isEmpty)
            #expect(!step.expect.isEmpty || step.expectsClose)
            for outgoing in step.send {
                if case .wire = outgoing { #expect(session.modes == [.framed], "wire bytes need framed mode") }
            }
            var lastByID: [JSONValue: SessionScript.Expectation] = [:]
            for line in step.expect where !line.unordered { lastByID[line.id] = line }
            #expect(lastByID.values.allSatisfy { $0.repeatMode == nil }, "an id's lines end with a repeat")
            for line in step.expect {
                #expect([nil, "+", "*"].contains(line.repeatMode))
                for pattern in line.patterns { #expect(Self.strings(in: pattern).allSatisfy(Self.isKnown)) }
            }
        }
    }

    /// Every message a session sends that the parser refuses is answered, in that step, by an error line with
    /// the parser's code and id; and no refused message appears where a step expects none.
    @Test(arguments: Self.sessions.map(\.name)) func refusalsMatchParser(_ name: String) throws {
        let session = try #require(Self.sessions.first { $0.name == name })
        for step in session.steps {
            for outgoing in step.send {
                let payload: [UInt8]
                switch outgoing {
                case .message(let value): payload = value.encoded()
                case .payload(let bytes): payload = bytes
                case .wire: continue
                }
                guard case .failure(let rejection) = ClientMessage.parse(payload) else { continue }
                let answered = step.expect.contains { line in
                    let p = line.patterns[0]
                    return p["type"] == "error" && line.id == JSONValue(rejection.id)
                        && p["error"]?["code"] == .string(rejection.error.code.rawValue)
                }
                #expect(answered, "\(rejection.error) has no matching error line")
            }
        }
    }

    /// Frames a correct sidecar could send, built with `ServerMessage` and interleaved across ids, satisfy each
    /// session; so the patterns fit the real encodings and the matcher accepts interleaving.
    @Test(arguments: Self.sessions.map(\.name)) func acceptsPlausibleRun(_ name: String) throws {
        let session = try #require(Self.sessions.first { $0.name == name })
        var matcher = SessionMatcher()
        var seq: [String: Int] = [:]
        for step in session.steps {
            matcher.expect(step.expect)
            for frame in Self.interleave(step.expect.map { Self.frames(for: $0, seq: &seq) }) {
                try matcher.receive(frame)
            }
            #expect(matcher.isSatisfied)
        }
    }

    /// The matcher refuses a chunk whose seq skips a number.
    @Test func refusesSequenceGap() throws {
        var matcher = SessionMatcher()
        matcher.expect(try #require(Self.sessions.first { $0.name == "no_hello" }?.steps.first?.expect))
        try matcher.receive(ServerMessage.chunk(id: "r1", seq: 0, delta: .text("a")).json)
        #expect(throws: SessionMismatch.self) {
            try matcher.receive(ServerMessage.chunk(id: "r1", seq: 2, delta: .text("b")).json)
        }
    }

    /// The matcher refuses frames for an id the step does not expect, and a done before any chunk when one is due.
    @Test func refusesUnexpectedFrames() throws {
        let expect = try #require(Self.sessions.first { $0.name == "no_hello" }?.steps.first?.expect)
        var matcher = SessionMatcher()
        matcher.expect(expect)
        #expect(throws: SessionMismatch.self) { try matcher.receive(ServerMessage.pong(id: "other").json) }
        #expect(throws: SessionMismatch.self) { try matcher.receive(Self.done("r1")) }
        #expect(!matcher.isSatisfied)
    }

    // MARK: Building plausible frames

    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .array(let items): return items.flatMap(strings)
        case .object(let fields): return fields.values.flatMap(strings)
        default: return []
        }
    }

    static func isKnown(_ s: String) -> Bool {
        !(s.hasPrefix("<") && s.hasSuffix(">")) || placeholders.contains(s)
    }

    static func done(_ id: String) -> JSONValue {
        let result = CompletionResult(
            provider: "sim", model: "sim-small", stopReason: .endTurn, content: [.text("Hello there, dear user.")],
            usage: Usage(inputTokens: 14, outputTokens: 6), costUSD: nil,
            attempts: [Attempt(provider: "sim", model: "sim-small", error: nil, durationMs: 30)], ttftMs: 12,
            latencyMs: 31)
        return ServerMessage.done(id: id, result).json
    }

    /// The frames one expectation line stands for: two for a repeat, the first alternative for `alt`.
    static func frames(for line: SessionScript.Expectation, seq: inout [String: Int]) -> [JSONValue] {
        let pattern = line.patterns[0]
        let id = pattern["id"]?.stringValue
        let count = line.repeatMode == nil ? 1 : 2
        return (0..<count).map { _ in
            switch pattern["type"]?.stringValue {
            case "chunk":
                let key = id ?? ""
                defer { seq[key, default: 0] += 1 }
                return ServerMessage.chunk(id: key, seq: seq[key, default: 0], delta: .text("Hel")).json
            case "done":
                seq[id ?? ""] = nil
                return done(id ?? "")
            case "error":
                let code = pattern["error"]?["code"]?.stringValue.flatMap(ErrorCode.init) ?? .internal
                if code != .duplicateID { seq[id ?? ""] = nil }
                return ServerMessage.error(id: id, SidecarError(code, "because")).json
            case "hello":
                return ServerMessage.hello(
                    id: id, server: "provider-sidecar", version: "0.1.0",
                    agent: pattern["agent"]?.stringValue, models: ["sim/sim-small"],
                    maxFrame: 8_388_608
                ).json
            case "usage": return ServerMessage.usage(id: id ?? "", instantiate(pattern["report"] ?? [:])).json
            case "status": return ServerMessage.status(id: id ?? "", instantiate(pattern["report"] ?? [:])).json
            default: return ServerMessage.pong(id: id ?? "").json
            }
        }
    }

    /// A value matching `pattern`: placeholders replaced by a value of their kind.
    static func instantiate(_ pattern: JSONValue) -> JSONValue {
        switch pattern {
        case .string(let s) where placeholders.contains(s):
            let values: [String: JSONValue] = [
                "<string>": "x", "<int>": 1, "<number>": 1.5, "<bool>": true, "<object>": [:], "<array>": [],
            ]
            return values[s] ?? .null
        case .object(let fields):
            return .object(fields.filter { $0.value != "<absent>" }.mapValues(instantiate))
        case .array(let items):
            return .array(items.map(instantiate))
        default:
            return pattern
        }
    }

    /// Round-robin across ids, keeping each id's own order (unordered lines go last in their id).
    static func interleave(_ perLine: [[JSONValue]]) -> [JSONValue] {
        var queues: [JSONValue: [JSONValue]] = [:]
        var order: [JSONValue] = []
        for frames in perLine {
            for frame in frames {
                let id = frame["id"] ?? .null
                if queues[id] == nil { order.append(id) }
                queues[id, default: []].append(frame)
            }
        }
        var out: [JSONValue] = []
        while out.count < perLine.joined().count {
            for id in order where !(queues[id] ?? []).isEmpty {
                out.append(queues[id, default: []].removeFirst())
            }
        }
        return out
    }
}
