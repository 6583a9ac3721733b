import Foundation

/// Parses the three HTTP-date forms of RFC 9110 §5.6.7 without a `DateFormatter` (locale-free, no
/// shared mutable state):
/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850) and
/// `Sun Nov  6 08:49:37 1994` (asctime).
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 6 where parts[5] == "GMT":  // IMF-fixdate
            return make(day: Int(parts[1]), month: parts[2], year: Int(parts[3]), time: parts[4])
        case 4 where parts[3] == "GMT":  // RFC 850
            let date = parts[1].split(separator: "-").map(String.init)
            guard date.count == 3, date[2].count == 2, let shortYear = Int(date[2]) else { return nil }
            // Two-digit years pivot at 70 (POSIX style): 70-99 are 19xx, 00-69 are 20xx.
            let year = shortYear + (shortYear >= 70 ? 1900 : 2000)
            return make(day: Int(date[0]), month: date[1], year: year, time: parts[2])
        case 5:  // asctime
            return make(day: Int(parts[2]), month: parts[1], year: Int(parts[4]), time: parts[3])
        default:
            return nil
        }
    }

    private static func make(day: Int?, month: String, year: Int?, time: String) -> Date? {
        let clock = time.split(separator: ":").map { Int($0) }
        guard let day, let year, let monthIndex = months.firstIndex(of: month.lowercased()),
            clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2],
            (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (1...9999).contains(year)
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
