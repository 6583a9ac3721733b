import Foundation
import SidecarRegistry
import Synchronization

/// A clock tests move by hand. `sleep` suspends until `advance` moves time past its deadline, or, with
/// `autoAdvance`, moves time forward itself and returns at once (recording the duration), so a failover
/// with backoff runs instantly and the waits it chose can be asserted.
final class ManualClock: RegistryClock {
    private struct Sleeper {
        let id: Int
        let deadline: Duration
        let continuation: CheckedContinuation<Void, Error>
    }

    private struct State {
        var now: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextID = 0
        var slept: [Duration] = []
    }

    private let state = Mutex(State())
    let autoAdvance: Bool

    init(autoAdvance: Bool = false) { self.autoAdvance = autoAdvance }

    func now() -> Duration { state.withLock { $0.now } }

    func date(at instant: Duration) -> Date {
        Date(timeIntervalSince1970: 1_800_000_000 + Double(instant.components.seconds))
    }

    /// Every duration passed to `sleep`, in order.
    var slept: [Duration] { state.withLock { $0.slept } }

    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        if autoAdvance {
            state.withLock {
                $0.slept.append(duration)
                $0.now += duration
            }
            await Task.yield()
            return
        }
        let id = state.withLock { s in
            s.nextID += 1
            s.slept.append(duration)
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let resumeNow = state.withLock { s in
                    if Task.isCancelled { return true }
                    s.sleepers.append(Sleeper(id: id, deadline: s.now + duration, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let index = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    func advance(by duration: Duration) {
        let due = state.withLock { s in
            s.now += duration
            let due = s.sleepers.filter { $0.deadline <= s.now }
            s.sleepers.removeAll { $0.deadline <= s.now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (yielding, not sleeping) until `count` tasks are suspended in `sleep`.
    func waitForSleepers(_ count: Int) async {
        while sleeperCount < count { await Task.yield() }
    }
}
