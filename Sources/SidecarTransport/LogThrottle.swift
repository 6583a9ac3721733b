/// Counts repeated events and says when to log them: at once for the first, then at most once per interval,
/// with how many happened since the last line.
struct LogThrottle {
    let interval: Duration
    private var lastLogged: ContinuousClock.Instant?
    private var unlogged = 0

    init(interval: Duration) { self.interval = interval }

    /// Counts one event. Returns the count to log when a line is due, else nil.
    mutating func count(now: ContinuousClock.Instant = .now) -> Int? {
        unlogged += 1
        if let lastLogged, now - lastLogged < interval { return nil }
        lastLogged = now
        defer { unlogged = 0 }
        return unlogged
    }
}
