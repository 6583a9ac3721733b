import Foundation
import SidecarTime
import Testing

struct TimestampTests {
    /// 2026-11-25T10:00:00Z
    static let base = Date(timeIntervalSince1970: 1_795_600_800)

    /// Whole seconds print without a fraction; a time with milliseconds prints them.
    @Test func formatsUTCWithMillisecondsWhenPresent() {
        #expect(Timestamp.format(Self.base) == "2026-11-25T10:00:00Z")
        #expect(Timestamp.format(Self.base.addingTimeInterval(0.123)) == "2026-11-25T10:00:00.123Z")
    }

    /// RFC 3339 with or without a fraction, and bare dates as UTC midnight; anything else is nil.
    @Test func parsesTimesAndBareDates() {
        #expect(Timestamp.parse("2026-11-25T10:00:00Z") == Self.base)
        #expect(Timestamp.parse("2026-11-25T12:00:00+02:00") == Self.base)
        #expect(Timestamp.parse("2026-11-25T10:00:00.5Z") == Self.base.addingTimeInterval(0.5))
        #expect(Timestamp.parse("2026-11-25") == Self.base.addingTimeInterval(-10 * 3600))
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
