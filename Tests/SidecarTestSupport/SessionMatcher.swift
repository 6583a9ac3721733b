import SidecarProtocol

/// Checks the frames a sidecar sends against a session's expectations, one step at a time.
///
/// Implements the ordering rules of proto-spec/vectors/README.md: frames of different ids interleave
/// freely, lines of one id match in file order (repeats greedily, `unordered` lines anywhere), and for the
/// whole session every request's chunks count `seq` 0, 1, 2 ... Feed it frames with `receive`; a group is
/// finished when `isSatisfied`.
public struct SessionMatcher {
    /// Expected lines of one id, in file order.
    private struct Lane {
        var lines: [SessionScript.Expectation]
        var position = 0
        var repeats = 0
    }

    private var lanes: [JSONValue: Lane] = [:]
    private var unordered: [SessionScript.Expectation] = []
    /// The next chunk `seq` of each request that has sent chunks and not yet ended.
    private var nextSeq: [String: Int] = [:]

    public init() {}

    /// Starts awaiting a new group of expectations (the previous one must be satisfied).
    public mutating func expect(_ group: [SessionScript.Expectation]) {
        lanes = [:]
        unordered = []
        for line in group {
            if line.unordered {
                unordered.append(line)
            } else {
                lanes[line.id, default: Lane(lines: [])].lines.append(line)
            }
        }
    }

    /// True when every expected line of the current group has been matched.
    public var isSatisfied: Bool {
        unordered.isEmpty
            && lanes.values.allSatisfy { lane in
                lane.position == lane.lines.count
                    || (lane.position == lane.lines.count - 1
                        && Self.satisfied(lane.lines[lane.position], lane.repeats))
            }
    }

    /// Accounts for one received frame; throws when the frame breaks the session.
    public mutating func receive(_ frame: JSONValue) throws(SessionMismatch) {
        try checkSequence(frame)
        let id = frame["id"] ?? .null
        if var lane = lanes[id] {
            while lane.position < lane.lines.count {
                let line = lane.lines[lane.position]
                if line.matches(frame) {
                    if line.repeatMode == nil {
                        lane.position += 1
                        lane.repeats = 0
                    } else {
                        lane.repeats += 1
                    }
                    lanes[id] = lane
                    return
                }
                guard Self.satisfied(line, lane.repeats) else { break }
                lane.position += 1
                lane.repeats = 0
            }
        }
        if let index = unordered.firstIndex(where: { $0.id == id && $0.matches(frame) }) {
            unordered.remove(at: index)
            return
        }
        throw SessionMismatch("unexpected frame \(String(decoding: frame.encoded(), as: UTF8.self))")
    }

    private static func satisfied(_ line: SessionScript.Expectation, _ repeats: Int) -> Bool {
        line.repeatMode == "*" || (line.repeatMode == "+" && repeats > 0)
    }

    /// The rules checked on every frame, whatever the patterns say.
    private mutating func checkSequence(_ frame: JSONValue) throws(SessionMismatch) {
        guard let id = frame["id"]?.stringValue else { return }
        switch frame["type"]?.stringValue {
        case "chunk":
            let expected = nextSeq[id] ?? 0
            guard frame["seq"]?.intValue == expected else {
                throw SessionMismatch("chunk of \(id): expected seq \(expected), got \(frame["seq"] ?? .null)")
            }
            nextSeq[id] = expected + 1
        case "done":
            nextSeq[id] = nil
        case "error" where frame["error"]?["code"] != "duplicate_id":
            nextSeq[id] = nil
        default:
            break
        }
    }
}

/// A sidecar's frames did not follow a session vector.
public struct SessionMismatch: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
