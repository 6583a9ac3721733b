import Foundation

/// The registry's source of time. Breakers, backoff, deadlines and health checks read time only through
/// this protocol, so tests drive them with a manual clock instead of sleeping.
public protocol RegistryClock: Sendable {
    /// Monotonic time since an arbitrary origin fixed for the clock's life.
    func now() -> Duration
    /// Wall-clock time, used only to print instants in `status` and error messages.
    func date(at instant: Duration) -> Date
    /// Suspends for `duration`; throws `CancellationError` when the calling task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock` for time, `Date` for printing.
public struct SystemRegistryClock: RegistryClock {
    private let origin = ContinuousClock.now
    private let originDate = Date()

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func date(at instant: Duration) -> Date { originDate.addingTimeInterval(instant.seconds) }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded down.
    var milliseconds: Int {
        let (s, attoseconds) = components
        return Int(s) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
