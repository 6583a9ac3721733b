import SidecarProtocol

/// Reads the token counts of one upstream usage report.
///
/// A count that is absent or null was not reported. One that is present but not a JSON integer (a fraction,
/// a string, a number too large for exact arithmetic) is not guessed at: it is named in `malformed`, and the
/// whole report then counts as unreported usage (the server logs why; see `UsageScreen`).
struct TokenCounts {
    private let report: JSONValue
    private(set) var malformed: [String] = []

    init(_ report: JSONValue) { self.report = report }

    /// The count at `path` (keys, outermost first), nil when absent, null or malformed.
    mutating func count(_ path: String...) -> Int? {
        var value: JSONValue? = report
        for key in path { value = value?[key] }
        guard let value, value != .null else { return nil }
        if let count = value.intValue { return count }
        malformed.append(
            "\(path.joined(separator: "."))=\(String(decoding: value.encoded().prefix(40), as: UTF8.self))")
        return nil
    }
}
