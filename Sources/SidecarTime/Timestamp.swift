import Foundation

/// The text form of times in messages, usage queries, exports and error texts.
///
/// Its own module because both the ledger and the budgets write these times, and SidecarProtocol, the
/// module below both, stays free of Foundation.
public enum Timestamp {
    /// RFC 3339 in UTC with milliseconds when the time has them: `2026-11-25T10:00:00.123Z`.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        if ms.truncatingRemainder(dividingBy: 1000) != 0 {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        }
        return formatter.string(from: date)
    }

    /// Parses an RFC 3339 time (with or without fractional seconds) or a bare `YYYY-MM-DD` (UTC midnight).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
