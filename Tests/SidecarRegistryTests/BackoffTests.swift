import SidecarTestSupport
import Testing

@testable import SidecarRegistry

@Suite struct BackoffTests {
    /// The ceiling doubles from 250 ms and stops at the 8 s cap, even for huge retry numbers.
    @Test func ceilingDoublesUpToCap() {
        let backoff = Backoff()
        let ceilings = (0..<8).map { backoff.ceiling(retry: $0) }
        #expect(ceilings == [250, 500, 1000, 2000, 4000, 8000, 8000, 8000].map { Duration.milliseconds($0) })
        #expect(backoff.ceiling(retry: 1000) == .seconds(8))
    }

    /// Full jitter: every delay lies in [0, ceiling], the draws spread over that range, and a seeded
    /// generator reproduces them.
    @Test func jitterStaysWithinRangeAndIsReproducible() {
        let backoff = Backoff()
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        for retry in 0..<7 {
            let draws = (0..<200).map { _ in backoff.delay(retry: retry, using: &first) }
            let again = (0..<200).map { _ in backoff.delay(retry: retry, using: &second) }
            #expect(draws == again)
            let ceiling = backoff.ceiling(retry: retry)
            #expect(draws.allSatisfy { $0 >= .zero && $0 <= ceiling })
            #expect(draws.contains { $0 < ceiling / 4 })
            #expect(draws.contains { $0 > ceiling * 3 / 4 })
        }
    }
}
