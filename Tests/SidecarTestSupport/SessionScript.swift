import SidecarFraming
import SidecarProtocol

/// One `proto-spec/vectors/sessions/*.jsonl` transcript, cut into steps: what to send, then which frames to
/// await. Drive it with `SessionMatcher`; the file format is described in proto-spec/vectors/README.md.
public struct SessionScript: Sendable {
    public var name: String
    public var description: String
    /// The wire modes the session must be run in, each on a fresh connection.
    public var modes: [WireMode]
    /// The agent the listener must be bound to; nil for an unbound listener.
    public var listener: String?
    public var steps: [Step]

    public struct Step: Sendable {
        public var send: [Outgoing]
        public var expect: [Expectation]
        /// The sidecar closes the connection after the expected frames.
        public var expectsClose: Bool
    }

    public enum Outgoing: Sendable {
        /// An object sent as one payload.
        case message(JSONValue)
        /// Exact payload bytes, framed for the connection's mode.
        case payload([UInt8])
        /// Bytes written verbatim, framing included.
        case wire([UInt8])

        /// The bytes to write on a connection in `mode`.
        public func bytes(mode: WireMode) -> [UInt8] {
            switch self {
            case .message(let value): return FrameEncoder.encode(value.encoded(), mode: mode)
            case .payload(let payload): return FrameEncoder.encode(payload, mode: mode)
            case .wire(let bytes): return bytes
            }
        }
    }

    public struct Expectation: Sendable {
        /// One pattern, or the alternatives of an `alt` line.
        public var patterns: [JSONValue]
        /// nil, "+" or "*".
        public var repeatMode: String?
        public var unordered: Bool
        /// The request id the line is about (`.null` when the frame carries no id).
        public var id: JSONValue

        public func matches(_ frame: JSONValue) -> Bool {
            patterns.contains { JSONPattern.matches($0, frame) }
        }
    }

    /// Every session file, sorted by name.
    public static func all() throws -> [SessionScript] {
        try ProtoSpec.files(in: "vectors/sessions", suffix: "jsonl").map { try load(path: $0) }
    }

    public static func load(path: String) throws -> SessionScript {
        let lines = try ProtoSpec.jsonLines(path)
        let name = String(path.split(separator: "/").last?.split(separator: ".").first ?? "")
        guard let meta = lines.first, meta["dir"] == "meta" else { throw ProtoSpecError("\(path): no meta line") }
        var modes: [WireMode] = []
        for mode in meta["modes"]?.arrayValue ?? [] {
            switch mode.stringValue {
            case "framed": modes.append(.framed)
            case "lines": modes.append(.lines)
            default: throw ProtoSpecError("\(path): unknown mode \(mode)")
            }
        }
        var script = SessionScript(
            name: name, description: meta["description"]?.stringValue ?? "", modes: modes,
            listener: meta["listener"]?.stringValue, steps: [])
        for (number, line) in lines.enumerated().dropFirst() {
            try script.add(line, at: "\(path):\(number + 1)")
        }
        return script
    }

    private mutating func add(_ line: JSONValue, at location: String) throws {
        switch line["dir"]?.stringValue {
        case "c2s":
            let outgoing: Outgoing
            if let message = line["msg"] {
                outgoing = .message(message)
            } else if let hex = line["payload_hex"]?.stringValue {
                outgoing = .payload(try ProtoSpec.hex(hex))
            } else if let hex = line["wire_hex"]?.stringValue {
                outgoing = .wire(try ProtoSpec.hex(hex))
            } else {
                throw ProtoSpecError("\(location): c2s line without msg, payload_hex or wire_hex")
            }
            if steps.isEmpty || !(steps[steps.count - 1].expect.isEmpty && !steps[steps.count - 1].expectsClose) {
                steps.append(Step(send: [], expect: [], expectsClose: false))
            }
            steps[steps.count - 1].send.append(outgoing)
        case "s2c":
            guard !steps.isEmpty else { throw ProtoSpecError("\(location): s2c line before any c2s line") }
            if line["closed"] == true {
                steps[steps.count - 1].expectsClose = true
                return
            }
            let patterns = line["msg"].map { [$0] } ?? line["alt"]?.arrayValue ?? []
            guard let first = patterns.first else { throw ProtoSpecError("\(location): s2c line without msg or alt") }
            steps[steps.count - 1].expect.append(
                Expectation(
                    patterns: patterns, repeatMode: line["repeat"]?.stringValue,
                    unordered: line["unordered"] == true, id: first["id"] ?? .null))
        default:
            throw ProtoSpecError("\(location): unknown dir")
        }
    }
}
