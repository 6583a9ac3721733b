import Foundation

/// Reads how long upstream asked us to wait before retrying.
public enum RetryAfter {
    /// Longest delay we report (about 24.8 days); larger values are clamped rather than overflowing.
    public static let maxMilliseconds = Int(Int32.max)

    /// Parses a `Retry-After` value into milliseconds from `now`: delta-seconds (an integer, or a decimal
    /// as some servers send) or an HTTP-date (IMF-fixdate, plus the obsolete RFC 850 and asctime forms that
    /// RFC 9110 says recipients must accept). A date in the past gives 0. Returns nil when unparseable.
    public static func parse(_ header: String, now: Date) -> Int? {
        let value = header.trimmingCharacters(in: .whitespaces)
        if let seconds = parseSeconds(value) {
            return clamp(seconds * 1000)
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        return clamp(max(0, date.timeIntervalSince(now)) * 1000)
    }

    /// The delay from response headers (names lowercased): OpenAI's `retry-after-ms` wins when present and
    /// valid, else `retry-after`.
    public static func milliseconds(from headers: [String: String], now: Date) -> Int? {
        if let raw = headers["retry-after-ms"],
            let milliseconds = parseSeconds(raw.trimmingCharacters(in: .whitespaces))
        {
            return clamp(milliseconds)
        }
        return headers["retry-after"].flatMap { parse($0, now: now) }
    }

    /// A non-negative decimal number (digits with at most one dot); rejects signs, exponents, inf and nan.
    private static func parseSeconds(_ value: String) -> Double? {
        guard !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
            value.utf8.filter({ $0 == 0x2E }).count <= 1, value.utf8.contains(where: { $0 != 0x2E })
        else { return nil }
        return Double(value)
    }

    private static func clamp(_ milliseconds: Double) -> Int {
        guard milliseconds.isFinite else { return maxMilliseconds }
        return Int(min(milliseconds.rounded(.up), Double(maxMilliseconds)))
    }
}
