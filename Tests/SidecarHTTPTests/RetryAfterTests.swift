import Foundation
import SidecarHTTP
import Testing

@Suite struct RetryAfterTests {
    /// 1994-11-06 08:49:37 UTC, the RFC's example date.
    let now = Date(timeIntervalSince1970: 784_111_777)

    /// Delta-seconds, integer or decimal, become milliseconds.
    @Test func parsesDeltaSeconds() {
        #expect(RetryAfter.parse("120", now: now) == 120_000)
        #expect(RetryAfter.parse(" 0 ", now: now) == 0)
        #expect(RetryAfter.parse("1.5", now: now) == 1_500)
        #expect(RetryAfter.parse("0.0011", now: now) == 2)
    }

    /// Anything else that is not a date is rejected rather than guessed.
    @Test(arguments: ["", "-1", "abc", "1e3", "inf", "nan", "1.2.3", ".", "+5", "Sun, 32 Nov 1994 08:49:37 GMT"])
    func rejectsGarbage(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }

    /// Huge values clamp instead of overflowing.
    @Test func clampsHugeValues() {
        #expect(RetryAfter.parse("99999999999999999999999", now: now) == RetryAfter.maxMilliseconds)
    }

    /// All three HTTP-date forms give the time until that date; a past date gives 0.
    @Test func parsesHTTPDates() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30_000)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:07 GMT", now: now) == 30_000)
        #expect(RetryAfter.parse("Sun Nov  6 08:50:07 1994", now: now) == 30_000)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        let newYear2026 = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(RetryAfter.parse("Thu, 01 Jan 2026 00:00:10 GMT", now: newYear2026) == 10_000)
    }

    /// OpenAI's `retry-after-ms` wins over `retry-after`; an invalid one falls back.
    @Test func prefersRetryAfterMilliseconds() {
        #expect(RetryAfter.milliseconds(from: ["retry-after-ms": "250", "retry-after": "5"], now: now) == 250)
        #expect(RetryAfter.milliseconds(from: ["retry-after-ms": "soon", "retry-after": "5"], now: now) == 5_000)
        #expect(RetryAfter.milliseconds(from: ["retry-after": "2"], now: now) == 2_000)
        #expect(RetryAfter.milliseconds(from: ["content-type": "application/json"], now: now) == nil)
    }
}
