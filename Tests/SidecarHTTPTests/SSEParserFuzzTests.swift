import SidecarHTTP
import SidecarTestSupport
import Testing

/// An independent, split-free reference: decodes the whole stream at once, splits it into lines, then
/// applies the WHATWG interpretation rules (with the same end-of-stream policy as `SSEParser`).
func referenceParse(_ bytes: [UInt8]) -> [SSEEvent] {
    var scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "\r" || scalar == "\n" {
            lines.append(String(current))
            current = String.UnicodeScalarView()
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
        } else {
            current.append(scalar)
        }
        index += 1
    }
    if !current.isEmpty { lines.append(String(current)) }
    lines.append("")  // end of stream dispatches a pending event

    var events: [SSEEvent] = []
    var data = ""
    var type = ""
    var id: String?
    var retry: Int?
    for line in lines {
        if line.isEmpty {
            if !data.isEmpty {
                data.removeLast()
                events.append(SSEEvent(event: type.isEmpty ? "message" : type, data: data, id: id, retry: retry))
                retry = nil
            }
            data = ""
            type = ""
            continue
        }
        if line.hasPrefix(":") { continue }
        var field = line
        var value = ""
        if let colon = line.firstIndex(of: ":") {
            field = String(line[..<colon])
            value = String(line[line.index(after: colon)...])
            if value.hasPrefix(" ") { value.removeFirst() }
        }
        switch field {
        case "data": data += value + "\n"
        case "event": type = value
        case "id" where !value.contains("\u{0}"): id = value
        case "retry" where !value.isEmpty && value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }):
            retry = Int(value)
        default: break
        }
    }
    return events
}

/// A random but well-formed-ish event stream: every kind of field, comments, all three line endings,
/// multi-byte text, sometimes a BOM and sometimes no final blank line.
func randomStream(using rng: inout SplitMix64) -> [UInt8] {
    let endings = ["\n", "\r\n", "\r"]
    let words = ["hi", "héllo", "日本語", "🎉🎉", "{\"a\":1}", "a: b", " lead", "", "x\u{0}y", "Grüß"]
    let fields = ["data", "data", "data", "event", "id", "retry", ":", "unknown", "data:"]
    var text = Bool.random(using: &rng) ? "\u{FEFF}" : ""
    for _ in 0..<Int.random(in: 1...8, using: &rng) {
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let field = fields.randomElement(using: &rng) ?? "data"
            let word = words.randomElement(using: &rng) ?? ""
            let value = field == "retry" ? String(Int.random(in: 0...5000, using: &rng)) : word
            text += field.hasSuffix(":") ? field + value : field + ": " + value
            text += endings.randomElement(using: &rng) ?? "\n"
        }
        text += endings.randomElement(using: &rng) ?? "\n"
    }
    if Bool.random(using: &rng) { text += "data: tail" }
    return Array(text.utf8)
}

@Suite struct SSEParserFuzzTests {
    /// Random streams split at random points parse exactly like the split-free reference parse.
    @Test func randomSplitsMatchReferenceParse() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for iteration in 0..<400 {
            let bytes = randomStream(using: &rng)
            let expected = referenceParse(bytes)
            var parser = SSEParser()
            var events: [SSEEvent] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 0...7, using: &rng))
                events += try parser.feed(bytes[start..<end])
                start = end
            }
            events += try parser.finish()
            #expect(events == expected, "iteration \(iteration): \(bytes)")
            #expect(try parse(bytes) == expected, "iteration \(iteration), whole")
        }
    }
}
