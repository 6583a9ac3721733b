import Foundation

/// One SSE event as a test reads it.
public struct TestSSEEvent: Equatable {
    public var event: String?
    public var data: String
}

/// A deliberately simple whole-body SSE reader for asserting on simulator output (the real, incremental
/// parser lives in SidecarHTTP): drops a leading byte order mark, normalizes CRLF and CR to LF, splits on blank lines, skips comment-only blocks.
public func parseTestSSE(_ text: String) -> [TestSSEEvent] {
    let withoutMark = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    let normalized = withoutMark.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    var events: [TestSSEEvent] = []
    for block in normalized.components(separatedBy: "\n\n") {
        var name: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        if name != nil || !data.isEmpty { events.append(TestSSEEvent(event: name, data: data.joined(separator: "\n"))) }
    }
    return events
}
