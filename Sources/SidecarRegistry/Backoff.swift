/// Retry delays: exponential with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
/// retry n (0-based) waits a uniformly random time in [0, min(cap, base * 2^n)], so many clients that
/// failed together do not retry together.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(250), cap: Duration = .seconds(8)) {
        self.base = base
        self.cap = cap
    }

    /// The upper bound of retry `retry`'s delay.
    public func ceiling(retry: Int) -> Duration {
        let factor = 1 << min(max(retry, 0), 30)
        return min(cap, base * factor)
    }

    /// A random delay for retry `retry`, drawn from `generator`.
    public func delay(retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceilingMs = ceiling(retry: retry).milliseconds
        return .milliseconds(Int.random(in: 0...ceilingMs, using: &generator))
    }
}
