@preconcurrency import Dispatch

/// The one Dispatch timer of an exchange, kept at its earliest pending deadline (`ExchangeDeadlines`).
///
/// Reads only record when they arrived, so the hot path never touches the timer. When it fires,
/// `expiredLimit` either names the limit that ran out or moves the timer to the deadline that is now the
/// earliest. `rearm` is for when the set of running limits changed (the head arrived, reading resumed).
struct DeadlineTimer {
    private let source: DispatchSourceTimer

    /// Nil when no limit can run out. `fired` runs on `queue`; it should take the lock that guards the
    /// exchange's deadlines and call `expiredLimit`.
    init?(_ deadlines: ExchangeDeadlines, queue: DispatchQueue, fired: @escaping @Sendable () -> Void) {
        guard deadlines.canExpire else { return nil }
        source = DispatchSource.makeTimerSource(queue: queue)
        source.setEventHandler(handler: fired)
        rearm(deadlines)
        source.activate()
    }

    /// Moves the timer to the earliest pending deadline; leaves it as it is when none runs now.
    func rearm(_ deadlines: ExchangeDeadlines) {
        if let deadline = deadlines.earliest { schedule(deadline) }
    }

    /// The name of the limit that ran out, or nil after re-arming for a deadline still ahead (or none).
    func expiredLimit(_ deadlines: ExchangeDeadlines) -> String? {
        guard let deadline = deadlines.earliest else { return nil }
        if deadline.at <= DispatchTime.now().uptimeNanoseconds { return deadline.name }
        schedule(deadline)
        return nil
    }

    func cancel() { source.cancel() }

    private func schedule(_ deadline: ExchangeDeadlines.Deadline) {
        source.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline.at), leeway: .milliseconds(5))
    }
}
